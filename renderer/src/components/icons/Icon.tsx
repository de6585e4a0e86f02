import type { ReactNode } from 'react';

interface IconProps {
  children: ReactNode;
  className?: string;
  /** When set, the icon is announced with this name; otherwise it is decorative. */
  label?: string;
  viewBox?: string;
}

/** An inline SVG icon, sized by CSS (1em by default) and drawn in currentColor. */
export function Icon({ children, className, label, viewBox = '0 0 24 24' }: IconProps) {
  const a11y = label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true };
  return (
    <svg className={['icon', className].filter(Boolean).join(' ')} viewBox={viewBox} focusable="false" {...a11y}>
      {label && <title>{label}</title>}
      {children}
    </svg>
  );
}
