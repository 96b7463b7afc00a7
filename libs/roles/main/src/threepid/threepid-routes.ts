// Third-party identifier (email, phone) endpoints, answered as Synapse answers them on a server
// with no email sending, no SMS (msisdn) delegate, no identity-server client, and 3PID changes
// disabled (`enable_3pid_changes: false`, which is what /capabilities advertises here as
// m.3pid_changes). Clients such as Element read the capability, list the (empty) 3PIDs in their
// settings and show these errors' messages if asked to add one; none of them is a 500.
//
// Nothing can add a 3PID to an account here, so GET /account/3pid is always empty.
import { MatrixError, clientPaths } from '@homeserver/http';
import type { Requester } from '@homeserver/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface ThreepidDeps {
  readonly authenticate: (request: FastifyRequest) => Promise<Requester>;
}

const changesDisabled = () => new MatrixError(400, 'M_FORBIDDEN', '3PID changes are disabled on this server');

/** Bodies must be JSON objects (400 M_BAD_JSON otherwise); fields are not looked at where Synapse refuses first. */
const anyObject = { type: 'object' } as const;

const msisdnBody = {
  type: 'object',
  required: ['client_secret', 'country', 'phone_number', 'send_attempt'],
  properties: {
    client_secret: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[0-9a-zA-Z.=_-]+$' },
    country: { type: 'string' },
    phone_number: { type: 'string' },
    send_attempt: { type: 'integer' },
    next_link: { type: 'string' },
  },
} as const;

const threepidBody = {
  type: 'object',
  required: ['medium', 'address'],
  properties: { medium: { type: 'string', enum: ['email', 'msisdn'] }, address: { type: 'string' }, id_server: { type: 'string' } },
} as const;

const bindBody = {
  type: 'object',
  required: ['client_secret', 'id_server', 'id_access_token', 'sid'],
  properties: { client_secret: { type: 'string' }, id_server: { type: 'string' }, id_access_token: { type: 'string' }, sid: { type: 'string' } },
} as const;

export function registerThreepidRoutes(app: FastifyInstance, deps: ThreepidDeps): void {
  const route = (method: 'GET' | 'POST', path: string, schema: object | undefined, handler: (request: FastifyRequest) => Promise<unknown>) => {
    for (const url of clientPaths(path)) app.route({ method, url, ...(schema ? { schema: { body: schema } } : {}), handler });
  };

  route('GET', '/account/3pid', undefined, async (request) => {
    await deps.authenticate(request);
    return { threepids: [] };
  });

  // Adding and removing 3PIDs: refused while 3PID changes are disabled (Synapse checks this
  // before reading the body's fields).
  for (const path of ['/account/3pid', '/account/3pid/add', '/account/3pid/delete']) {
    route('POST', path, anyObject, async (request) => {
      await deps.authenticate(request);
      throw changesDisabled();
    });
  }

  route('POST', '/account/3pid/bind', bindBody, async (request) => {
    await deps.authenticate(request);
    throw new MatrixError(403, 'M_FORBIDDEN', 'this homeserver does not contact identity servers, so it cannot bind third-party identifiers through one');
  });

  // No identity server was ever told about a binding by this server, so there is nothing it
  // knows to unbind: the spec's answer for that is `no-support`.
  route('POST', '/account/3pid/unbind', threepidBody, async (request) => {
    await deps.authenticate(request);
    return { id_server_unbind_result: 'no-support' };
  });

  // Validation tokens: unauthenticated, as in the spec.
  route('POST', '/account/3pid/email/requestToken', anyObject, async () => {
    throw changesDisabled();
  });
  route('POST', '/account/3pid/msisdn/requestToken', msisdnBody, async () => {
    throw new MatrixError(400, 'M_THREEPID_MEDIUM_NOT_SUPPORTED', 'Adding phone numbers to user account is not supported by this homeserver');
  });
  route('POST', '/register/email/requestToken', anyObject, async () => {
    throw new MatrixError(400, 'M_UNKNOWN', 'Email-based registration has been disabled on this server');
  });
  route('POST', '/register/msisdn/requestToken', msisdnBody, async () => {
    throw new MatrixError(400, 'M_UNKNOWN', 'Registration by phone number is not supported on this homeserver');
  });
  route('POST', '/account/password/email/requestToken', anyObject, async () => {
    throw new MatrixError(400, 'M_UNKNOWN', 'Email-based password resets have been disabled on this server');
  });
}
