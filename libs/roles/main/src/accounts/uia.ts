// User-interactive authentication (client-server "User-Interactive Authentication API"): the
// first request gets 401 with flows and a session; each stage is completed in its own request;
// the request proceeds once every stage of one flow is done. Sessions live in the database.
import { randomBytes } from 'node:crypto';
import { MatrixError, badJson, forbidden } from '@homeserver/http';
import type { Clock } from '@homeserver/services';
import {
  completeUiaStage,
  deleteUiaSession,
  getUiaSession,
  insertUiaSession,
  pruneUiaSessions,
  setUiaClientDict,
  setUiaRegisteredUser,
  type Database,
  type UiaSessionRow,
} from '@homeserver/storage';
import { resolveUserIdentifier } from './user-identifier.ts';

const SESSION_LIFETIME_MS = 30 * 60_000;

/** The 401 body of UIA: rendered without the generic errcode unless a stage failed. */
export class UiaRequiredError extends MatrixError {
  override name = 'UiaRequiredError';
  readonly body: Record<string, unknown>;
  constructor(body: Record<string, unknown>, failure?: { errcode: string; error: string }) {
    super(401, failure?.errcode ?? 'M_UNAUTHORIZED', failure?.error ?? 'Additional authentication is required');
    this.body = failure === undefined ? body : { ...body, ...failure };
  }
  override toJSON(): Record<string, unknown> {
    return this.body;
  }
}

export interface UiaRequest {
  /** Each flow is a list of stage types. */
  readonly flows: readonly (readonly string[])[];
  /** The operation, so a session cannot be replayed for another one. */
  readonly uri: string;
  readonly method: string;
  /** For authenticated endpoints: the user a password stage must prove. */
  readonly userId?: string;
  /** The request's parameters (body without `auth`), remembered by a session it opens. Default: none. */
  readonly clientDict?: Record<string, unknown>;
  /** Keep a completed session (registration: a replay finds whom it registered). Default: false, deleted. */
  readonly keepCompleted?: boolean;
}

export type PasswordCheck = (userId: string, password: string) => Promise<boolean>;
/** Spends one use of a registration token (false when it is unknown, used up or expired). */
export type RegistrationTokenCheck = (token: string) => Promise<boolean>;

export class UserInteractiveAuth {
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #serverName: string;
  readonly #checkPassword: PasswordCheck;
  readonly #checkRegistrationToken: RegistrationTokenCheck | undefined;

  constructor(db: Database, options: { clock: Clock; serverName: string; checkPassword: PasswordCheck; checkRegistrationToken?: RegistrationTokenCheck }) {
    this.#db = db;
    this.#clock = options.clock;
    this.#serverName = options.serverName;
    this.#checkPassword = options.checkPassword;
    this.#checkRegistrationToken = options.checkRegistrationToken;
  }

  /** The live session `auth` names (its remembered parameters, whom it registered), if any. */
  async sessionOf(auth: unknown): Promise<UiaSessionRow | undefined> {
    if (auth === null || typeof auth !== 'object' || Array.isArray(auth)) return undefined;
    const sessionId = (auth as Record<string, unknown>)['session'];
    if (typeof sessionId !== 'string') return undefined;
    const session = await getUiaSession(this.#db, sessionId);
    return session !== undefined && session.createdTs >= this.#clock.now() - SESSION_LIFETIME_MS ? session : undefined;
  }

  /** Records the user a registration session registered. */
  async markRegistered(sessionId: string, userId: string): Promise<void> {
    await setUiaRegisteredUser(this.#db, sessionId, userId);
  }

  /**
   * Resolves when a flow is complete (returns the user a password stage proved, and the
   * registration token a token stage of this request spent); else throws 401.
   */
  async check(auth: unknown, request: UiaRequest): Promise<{ userId: string | undefined; sessionId: string; registrationToken?: string }> {
    const now = this.#clock.now();
    const flows = request.flows.map((stages) => ({ stages: [...stages] }));
    if (auth === undefined || auth === null) {
      const session = randomBytes(18).toString('base64url');
      await pruneUiaSessions(this.#db, now - SESSION_LIFETIME_MS);
      await insertUiaSession(this.#db, { sessionId: session, createdTs: now, uri: request.uri, method: request.method, clientDict: request.clientDict });
      throw new UiaRequiredError({ flows, params: {}, session });
    }
    if (typeof auth !== 'object' || Array.isArray(auth)) throw badJson('auth must be an object');
    const body = auth as Record<string, unknown>;
    let sessionId = body['session'];
    if (sessionId === undefined) {
      sessionId = randomBytes(18).toString('base64url');
      await insertUiaSession(this.#db, { sessionId: sessionId as string, createdTs: now, uri: request.uri, method: request.method, clientDict: request.clientDict });
    }
    if (typeof sessionId !== 'string') throw badJson('auth.session must be a string');
    const session = await getUiaSession(this.#db, sessionId);
    if (session === undefined || session.createdTs < now - SESSION_LIFETIME_MS) {
      throw new MatrixError(400, 'M_UNKNOWN', `unknown or expired UIA session ${JSON.stringify(sessionId)}`);
    }
    if (session.uri !== request.uri || session.method !== request.method) {
      throw forbidden('Requested operation has changed during the UI authentication session');
    }
    const type = body['type'];
    const completed = [...session.completed];
    let userId = session.userId ?? undefined;
    let spentToken: string | undefined;
    if (type !== undefined) {
      const allowed = request.flows.some((stages) => stages.includes(type as string));
      const fail = (errcode: string, error: string): never => {
        throw new UiaRequiredError({ flows, params: {}, session: sessionId, completed }, { errcode, error });
      };
      if (typeof type !== 'string' || !allowed) fail('M_UNRECOGNIZED', `auth type ${JSON.stringify(type)} is not offered here`);
      if (type === 'm.login.password') {
        const password = body['password'];
        if (typeof password !== 'string') fail('M_BAD_JSON', 'auth.password must be a string');
        let who: string | undefined;
        try {
          who = resolveUserIdentifier(body, this.#serverName);
        } catch {
          who = request.userId;
        }
        // Another account's password is no stage of this session: 403, as Synapse answers.
        if (request.userId !== undefined && who !== request.userId) throw forbidden('the password stage must authenticate the requesting user');
        if (who === undefined || !(await this.#checkPassword(who, password as string))) fail('M_FORBIDDEN', 'Invalid username or password');
        userId = who;
      }
      if (type === 'm.login.registration_token') {
        const token = body['token'];
        if (typeof token !== 'string' || token === '') fail('M_BAD_JSON', 'auth.token must be a non-empty string');
        if (this.#checkRegistrationToken === undefined || !(await this.#checkRegistrationToken(token as string))) fail('M_UNAUTHORIZED', 'Invalid registration token');
        spentToken = token as string;
      }
      await completeUiaStage(this.#db, sessionId, type as string, userId);
      if (!completed.includes(type as string)) completed.push(type as string);
    }
    if (request.clientDict !== undefined && Object.keys(request.clientDict).length > 0) await setUiaClientDict(this.#db, sessionId, request.clientDict);
    if (request.flows.some((stages) => stages.every((s) => completed.includes(s)))) {
      if (!request.keepCompleted) await deleteUiaSession(this.#db, sessionId);
      return spentToken === undefined ? { userId, sessionId } : { userId, sessionId, registrationToken: spentToken };
    }
    throw new UiaRequiredError({ flows, params: {}, session: sessionId, completed });
  }
}
