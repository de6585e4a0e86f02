import { create } from 'qrcode';
import { memo, useMemo } from 'react';
import { qrModulesToPath, qrViewBox } from '../../format/qrPath';

/**
 * A QR code drawn as SVG by React: the modules become one path (no canvas, no markup
 * strings). Always dark on white with its quiet zone, in either theme, so cameras read it.
 */
export const QrCode = memo(function QrCode({
  text,
  label,
  className,
}: {
  text: string;
  label: string;
  className?: string;
}) {
  const drawing = useMemo(() => {
    try {
      const { modules } = create(text, { errorCorrectionLevel: 'M' });
      return { path: qrModulesToPath(modules), viewBox: qrViewBox(modules.size) };
    } catch {
      // Too long for a QR code: the digits are still there to compare.
      return null;
    }
  }, [text]);
  if (!drawing) return null;
  const [x, y, w, h] = drawing.viewBox.split(' ');
  return (
    <svg
      className={['qr-code', className].filter(Boolean).join(' ')}
      viewBox={drawing.viewBox}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
    >
      <rect x={x} y={y} width={w} height={h} fill="#fff" />
      <path d={drawing.path} fill="#000" />
    </svg>
  );
});
