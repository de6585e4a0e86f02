import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useActions } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { LogoMark } from '../icons/LogoMark';
import { displayNameProblem, usernameProblem, type DisplayNameProblem, type UsernameProblem } from './accountRules';
import { TextField } from './TextField';
import './SignUpScreen.css';

const USERNAME_MESSAGES = {
  tooShort: 'signUp.invalid.usernameTooShort',
  tooLong: 'signUp.invalid.usernameTooLong',
  mustStartWithLetter: 'signUp.invalid.usernameStart',
  invalidCharacters: 'signUp.invalid.usernameCharacters',
} as const satisfies Record<UsernameProblem, string>;

const DISPLAY_NAME_MESSAGES = {
  required: 'signUp.invalid.displayNameRequired',
  tooLong: 'signUp.invalid.displayNameTooLong',
} as const satisfies Record<DisplayNameProblem, string>;

/** First run of a profile: pick a @username and a display name, and the core creates the account. */
export function SignUpScreen() {
  const { t } = useTranslation();
  const { signUp } = useActions();
  const usernameRef = useRef<HTMLInputElement>(null);
  const displayNameRef = useRef<HTMLInputElement>(null);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [touched, setTouched] = useState({ username: false, displayName: false });
  const [submitting, setSubmitting] = useState(false);
  const [failureCode, setFailureCode] = useState<string | null>(null);

  const usernameIssue = usernameProblem(username);
  const displayNameIssue = displayNameProblem(displayName);
  // Length is only worth mentioning once the user has left the field; a wrong character at once.
  const showUsernameIssue =
    usernameIssue !== null && (touched.username || (username.length > 0 && usernameIssue !== 'tooShort'));
  const showDisplayNameIssue = displayNameIssue !== null && touched.displayName;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting) return;
    setTouched({ username: true, displayName: true });
    if (usernameIssue) return usernameRef.current?.focus();
    if (displayNameIssue) return displayNameRef.current?.focus();
    setSubmitting(true);
    setFailureCode(null);
    const result = await signUp(username, displayName);
    // On success this screen goes away (the session is now signed in).
    if (result.ok) return;
    setSubmitting(false);
    setFailureCode(result.code);
    if (result.code === 'username_taken') usernameRef.current?.focus();
  };

  return (
    <main className="signup">
      <div className="signup__card">
        <LogoMark className="signup__logo" />
        <h1 className="signup__title">{t('signUp.title')}</h1>
        <p className="signup__tagline">{t('signUp.tagline')}</p>
        <form className="signup__form" noValidate onSubmit={onSubmit}>
          <TextField
            ref={usernameRef}
            label={t('signUp.username')}
            hint={t('signUp.usernameHint')}
            error={showUsernameIssue && usernameIssue ? t(USERNAME_MESSAGES[usernameIssue]) : null}
            prefix="@"
            value={username}
            // The field already shows the @; a typed one would read "@@name".
            onChange={(event) => setUsername(event.target.value.replace(/^@/, ''))}
            onBlur={() => setTouched((was) => ({ ...was, username: true }))}
            autoComplete="username"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            autoFocus
          />
          <TextField
            ref={displayNameRef}
            label={t('signUp.displayName')}
            hint={t('signUp.displayNameHint')}
            error={showDisplayNameIssue && displayNameIssue ? t(DISPLAY_NAME_MESSAGES[displayNameIssue]) : null}
            value={displayName}
            onChange={(event) => setDisplayName(event.target.value)}
            onBlur={() => setTouched((was) => ({ ...was, displayName: true }))}
            autoComplete="name"
          />
          {failureCode && (
            <p role="alert" className="signup__alert">
              {t(errorMessageKey(failureCode))}
            </p>
          )}
          <button type="submit" className="button button--primary signup__submit" disabled={submitting}>
            {submitting && <span className="spinner" aria-hidden="true" />}
            {t('signUp.submit')}
          </button>
        </form>
      </div>
    </main>
  );
}
