import { hasPermission } from '@lessor/auth/permissions';
import { ApiError, isProblem } from '../api/problem.ts';

/** Who is signed in: sso's `/v1/me`. */
export interface Me {
  id: string;
  kind: 'user' | 'client';
  username: string | null;
  fullName: string;
  email: string | null;
  roles: string[];
  permissions: string[];
  tokenExpiresAt: string;
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

export interface SessionState {
  status: 'unknown' | 'signed-out' | 'signed-in';
  me: Me | null;
}

/** The refresh token survives a reload of the tab (not of the browser): sessionStorage, never localStorage. */
const REFRESH_KEY = 'lessor.refreshToken';
/** Refresh this long before the access token expires, so no call ever goes out with an expired one. */
const REFRESH_AHEAD_MS = 60_000;
/** The cookie the services accept for their API docs pages (a browser cannot send a header to them). */
const DOCS_COOKIE = 'lessor_access_token';

/**
 * The signed-in session: an access token in memory, refreshed silently before it expires (each refresh
 * token is single use: sso answers the next one), and the user's permissions for the menu and the routes.
 */
export class Session {
  private state: SessionState = { status: 'unknown', me: null };
  private accessToken: string | null = null;
  private expiresAt = 0;
  private refreshing: Promise<boolean> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly baseUrl: string = '') {}

  get snapshot(): SessionState {
    return this.state;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Whether the signed-in user holds `permission` (wildcard grants such as `*:*:*` included). */
  can(permission: string): boolean {
    return this.state.me !== null && hasPermission(this.state.me.permissions, permission);
  }

  /** On start: resumes the tab's session from its refresh token, if it has one. */
  async restore(): Promise<void> {
    if (sessionStorage.getItem(REFRESH_KEY) === null || !(await this.refresh())) this.signedOut();
  }

  /** Signs in; answers the API's problem on refusal (wrong password, locked, throttled) by throwing it. */
  async signIn(username: string, password: string): Promise<void> {
    const tokens = await this.post<Tokens>('/api/sso/v1/auth/login', { username, password });
    await this.accept(tokens);
  }

  async signOut(): Promise<void> {
    const refreshToken = sessionStorage.getItem(REFRESH_KEY);
    if (refreshToken !== null) {
      await this.post('/api/sso/v1/auth/logout', { refreshToken }).catch(() => undefined);
    }
    this.signedOut();
  }

  /** The access token for a call, refreshed first when it is about to expire; null when signed out. */
  async token(): Promise<string | null> {
    if (this.accessToken !== null && Date.now() < this.expiresAt - REFRESH_AHEAD_MS / 2) {
      return this.accessToken;
    }
    if (sessionStorage.getItem(REFRESH_KEY) === null) return this.accessToken;
    return (await this.refresh()) ? this.accessToken : null;
  }

  /** A call answered 401: the token was revoked or the user disabled; try one refresh, else sign out. */
  async rejected(): Promise<boolean> {
    const ok = await this.refresh();
    if (!ok) this.signedOut();
    return ok;
  }

  private refresh(): Promise<boolean> {
    // Refresh tokens are single use: concurrent callers share one refresh.
    this.refreshing ??= (async () => {
      const refreshToken = sessionStorage.getItem(REFRESH_KEY);
      if (refreshToken === null) return false;
      try {
        await this.accept(await this.post<Tokens>('/api/sso/v1/auth/refresh', { refreshToken }));
        return true;
      } catch {
        return false;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async accept(tokens: Tokens): Promise<void> {
    this.accessToken = tokens.accessToken;
    this.expiresAt = Date.now() + tokens.expiresIn * 1000;
    sessionStorage.setItem(REFRESH_KEY, tokens.refreshToken);
    document.cookie = `${DOCS_COOKIE}=${tokens.accessToken}; path=/api; max-age=${tokens.expiresIn}; samesite=strict`;
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => void this.refresh(),
      Math.max(5_000, tokens.expiresIn * 1000 - REFRESH_AHEAD_MS),
    );
    const response = await fetch(`${this.baseUrl}/api/sso/v1/me`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    if (!response.ok) throw new Error(`sso answered ${response.status} to /v1/me`);
    this.set({ status: 'signed-in', me: (await response.json()) as Me });
  }

  private signedOut(): void {
    clearTimeout(this.timer);
    this.accessToken = null;
    this.expiresAt = 0;
    sessionStorage.removeItem(REFRESH_KEY);
    document.cookie = `${DOCS_COOKIE}=; path=/api; max-age=0; samesite=strict`;
    this.set({ status: 'signed-out', me: null });
  }

  private set(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) {
      throw new ApiError(
        isProblem(parsed) ? parsed : { title: response.statusText, status: response.status },
      );
    }
    return parsed as T;
  }
}

export const session = new Session();
