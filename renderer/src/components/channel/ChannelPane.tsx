import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelPostView, ChannelView } from '../../../../shared/ipc';
import { useActions, useAppStore } from '../../app/AppContext';
import { useDocumentVisible } from '../../hooks/useDocumentVisible';
import { useFormattingLocale } from '../../hooks/useFormattingLocale';
import { errorMessageKey } from '../../i18n/errorMessages';
import { formatClockTime } from '../../format/time';
import { ChannelAdminTools } from './ChannelAdminTools';
import { ChannelAvatar } from './ChannelAvatar';
import './Channel.css';

/** Counts refresh this often while a channel is open. */
const STATS_EVERY_MS = 4_000;
/** Scrolled this close to the top, the previous page loads. */
const LOAD_OLDER_AT_PX = 80;

const EMPTY: readonly ChannelPostView[] = [];

/** The right-hand side for a channel: posts (read-only for non-admins), counts, and the admin tools. */
export function ChannelPane({ channelId }: { channelId: string }) {
  const channel = useAppStore((s) => s.channels.byId[channelId]);
  return (
    <main className="chat-pane channel-pane">
      {channel ? (
        <SubscribedChannel key={channelId} channel={channel} />
      ) : (
        <ChannelPreview key={channelId} channelId={channelId} />
      )}
    </main>
  );
}

function ChannelHeader({ channel, children }: { channel: ChannelView; children?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <header className="channel-header">
      <div className="channel-header__who">
        <ChannelAvatar
          channelId={channel.id}
          title={channel.title}
          avatarKey={channel.avatarId}
          size="small"
          alt={t('channel.avatarAlt', { title: channel.title })}
        />
        <div className="channel-header__names">
          <h2 className="channel-header__title">
            <bdi>{channel.title}</bdi>
          </h2>
          <p className="channel-header__meta">
            {channel.handle ? <bdi>@{channel.handle}</bdi> : t('channel.privateChannel')}
            {' · '}
            <span data-testid="channel-subscribers">{t('channel.subscribers', { count: channel.subscribers })}</span>
          </p>
        </div>
      </div>
      <div className="channel-header__actions">{children}</div>
    </header>
  );
}

function NotEncryptedNotice() {
  const { t } = useTranslation();
  return (
    <p className="channel-notice" role="note">
      {t('channel.notEncrypted')}
    </p>
  );
}

function ChannelPreview({ channelId }: { channelId: string }) {
  const { t } = useTranslation();
  const { previewChannel, subscribeChannel } = useActions();
  const [preview, setPreview] = useState<{ channel: ChannelView; posts: ChannelPostView[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    void previewChannel(channelId).then((result) => {
      if (!current) return;
      if (result.ok) setPreview(result.value);
      else setError(result.code);
    });
    return () => {
      current = false;
    };
  }, [channelId, previewChannel]);

  if (error) {
    return (
      <p role="alert" className="channel-pane__error">
        {t(errorMessageKey(error))}
      </p>
    );
  }
  if (!preview) return <p className="channel-pane__loading">{t('channel.loading')}</p>;
  const subscribe = async () => {
    const result = await subscribeChannel(channelId);
    if (!result.ok) setError(result.code);
  };
  return (
    <>
      <ChannelHeader channel={preview.channel} />
      <NotEncryptedNotice />
      {preview.channel.description && <p className="channel-pane__description">{preview.channel.description}</p>}
      <PostList channel={preview.channel} posts={preview.posts} hasMore={false} />
      <footer className="channel-footer">
        <button type="button" className="button button--primary" onClick={() => void subscribe()}>
          {t('channel.subscribe')}
        </button>
      </footer>
    </>
  );
}

function SubscribedChannel({ channel }: { channel: ChannelView }) {
  const { t } = useTranslation();
  const { loadOlderPosts, markChannelRead, refreshChannelStats, setChannelMuted, unsubscribeChannel } = useActions();
  const posts = useAppStore((s) => s.channels.posts[channel.id]);
  const items = posts?.items ?? EMPTY;
  const visible = useDocumentVisible();
  const [showTools, setShowTools] = useState(false);
  const newestSeq = items.at(-1)?.seq ?? 0;

  // Reading marks the channel read and reports the posts shown as viewed (the core batches it).
  useEffect(() => {
    if (!visible || !posts?.loaded) return;
    void markChannelRead(
      channel.id,
      items.map((post) => post.seq),
    );
    // Only when new posts arrive, not on every count refresh.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [channel.id, newestSeq, visible, posts?.loaded, markChannelRead]);

  // The posts on screen, read by the timer below (so new counts do not restart it).
  const shownSeqs = useRef<number[]>([]);
  useEffect(() => {
    shownSeqs.current = items.slice(-100).map((post) => post.seq);
  }, [items]);

  useEffect(() => {
    if (!visible) return;
    const timer = setInterval(() => void refreshChannelStats(channel.id, shownSeqs.current), STATS_EVERY_MS);
    return () => clearInterval(timer);
  }, [channel.id, visible, refreshChannelStats]);

  // New posts get their counts at once.
  useEffect(() => {
    if (visible && newestSeq > 0) void refreshChannelStats(channel.id, shownSeqs.current);
  }, [channel.id, visible, newestSeq, refreshChannelStats]);

  const pinned = channel.pinnedPostId ? items.find((post) => post.id === channel.pinnedPostId) : undefined;
  return (
    <>
      <ChannelHeader channel={channel}>
        <button
          type="button"
          className="button button--secondary button--small"
          aria-pressed={channel.muted}
          onClick={() => void setChannelMuted(channel.id, !channel.muted)}
        >
          {channel.muted ? t('channel.unmute') : t('channel.mute')}
        </button>
        {channel.role === 'owner' ? (
          <button
            type="button"
            className="button button--secondary button--small"
            aria-expanded={showTools}
            onClick={() => setShowTools((open) => !open)}
          >
            {t('channel.manage')}
          </button>
        ) : (
          <button
            type="button"
            className="button button--danger button--small"
            onClick={() => void unsubscribeChannel(channel.id)}
          >
            {t('channel.unsubscribe')}
          </button>
        )}
      </ChannelHeader>
      <NotEncryptedNotice />
      {showTools && <ChannelAdminTools channel={channel} />}
      {pinned && (
        <p className="channel-pinned" aria-label={t('channel.pinnedLabel')}>
          <span className="channel-pinned__label">{t('channel.pinned')}</span> <bdi>{pinned.text}</bdi>
        </p>
      )}
      <PostList
        channel={channel}
        posts={items}
        hasMore={posts?.hasMore ?? false}
        onLoadOlder={() => loadOlderPosts(channel.id)}
      />
      <footer className="channel-footer">
        {channel.canPost ? (
          <ChannelComposer channelId={channel.id} />
        ) : (
          <p className="channel-footer__readonly">{t('channel.readOnly')}</p>
        )}
      </footer>
    </>
  );
}

function PostList({
  channel,
  posts,
  hasMore,
  onLoadOlder,
}: {
  channel: ChannelView;
  posts: readonly ChannelPostView[];
  hasMore: boolean;
  onLoadOlder?: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const locale = useFormattingLocale();
  const scrollRef = useRef<HTMLDivElement>(null);
  const loading = useRef(false);
  // Keeps the view still when older posts are added above, and follows new posts at the bottom.
  const anchor = useRef<{ height: number; top: number; atBottom: boolean } | null>(null);
  const firstSeq = posts[0]?.seq;
  const lastSeq = posts.at(-1)?.seq;

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const before = anchor.current;
    if (!before || before.atBottom) el.scrollTop = el.scrollHeight;
    else el.scrollTop = before.top + (el.scrollHeight - before.height);
  }, [firstSeq, lastSeq]);

  const loadOlder = async () => {
    const el = scrollRef.current;
    if (!onLoadOlder || !hasMore || loading.current || !el) return;
    loading.current = true;
    anchor.current = { height: el.scrollHeight, top: el.scrollTop, atBottom: false };
    try {
      await onLoadOlder();
    } finally {
      loading.current = false;
    }
  };

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    anchor.current = { height: el.scrollHeight, top: el.scrollTop, atBottom };
    if (el.scrollTop < LOAD_OLDER_AT_PX) void loadOlder();
  };

  return (
    <div className="channel-posts" ref={scrollRef} onScroll={onScroll}>
      {hasMore && onLoadOlder && (
        <button
          type="button"
          className="button button--secondary button--small channel-posts__older"
          onClick={() => void loadOlder()}
        >
          {t('channel.loadOlder')}
        </button>
      )}
      {posts.length === 0 ? (
        <p className="channel-posts__empty">{t('channel.noPosts')}</p>
      ) : (
        <ol className="channel-posts__list" aria-label={t('channel.postsLabel')}>
          {posts.map((post) => (
            <li key={post.seq}>
              <ChannelPost channel={channel} post={post} locale={locale} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function ChannelPost({ channel, post, locale }: { channel: ChannelView; post: ChannelPostView; locale: string }) {
  const { t } = useTranslation();
  const { editChannelPost, deleteChannelPost, pinChannelPost } = useActions();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(post.text);
  const pinned = channel.pinnedPostId === post.id;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const result = await editChannelPost(channel.id, post.id, text);
    if (result.ok) setEditing(false);
  };

  return (
    <article
      className="channel-post"
      aria-label={t('channel.postLabel', { time: formatClockTime(post.postedAt, locale) })}
    >
      {editing ? (
        <form className="channel-post__edit" onSubmit={(event) => void save(event)}>
          <label className="visually-hidden" htmlFor={`edit-${post.id}`}>
            {t('channel.editLabel')}
          </label>
          <textarea id={`edit-${post.id}`} value={text} onChange={(e) => setText(e.target.value)} rows={3} />
          <div className="channel-post__tools">
            <button type="button" className="button button--secondary button--small" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="button button--primary button--small" disabled={text.trim().length === 0}>
              {t('channel.save')}
            </button>
          </div>
        </form>
      ) : (
        <p className="channel-post__text">{post.text}</p>
      )}
      <p className="channel-post__meta">
        <span className="channel-post__views" data-testid="post-views">
          {t('channel.views', { count: post.views })}
        </span>
        {post.editedAt !== undefined && <span className="channel-post__edited">{t('channel.edited')}</span>}
        <time dateTime={new Date(post.postedAt).toISOString()}>{formatClockTime(post.postedAt, locale)}</time>
      </p>
      {channel.canPost && !editing && (
        <div className="channel-post__tools">
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => {
              setText(post.text);
              setEditing(true);
            }}
          >
            {t('channel.edit')}
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            aria-pressed={pinned}
            onClick={() => void pinChannelPost(channel.id, pinned ? null : post.id)}
          >
            {pinned ? t('channel.unpin') : t('channel.pin')}
          </button>
          <button
            type="button"
            className="button button--danger button--small"
            onClick={() => void deleteChannelPost(channel.id, post.id)}
          >
            {t('channel.delete')}
          </button>
        </div>
      )}
    </article>
  );
}

function ChannelComposer({ channelId }: { channelId: string }) {
  const { t } = useTranslation();
  const { postToChannel } = useActions();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async () => {
    if (text.trim().length === 0 || busy) return;
    setBusy(true);
    setError(null);
    const result = await postToChannel(channelId, text);
    setBusy(false);
    if (result.ok) setText('');
    else setError(result.code === 'relay_error' ? result.message : t(errorMessageKey(result.code)));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <form
      className="channel-composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      {error && (
        <p role="alert" className="channel-dialog__error">
          {error}
        </p>
      )}
      <textarea
        className="channel-composer__input"
        aria-label={t('channel.composerLabel')}
        placeholder={t('channel.composerPlaceholder')}
        value={text}
        rows={2}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="button button--primary" disabled={busy || text.trim().length === 0}>
        {t('channel.publish')}
      </button>
    </form>
  );
}
