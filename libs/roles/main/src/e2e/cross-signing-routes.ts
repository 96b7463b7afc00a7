// Cross-signing endpoints: POST /keys/device_signing/upload (user-interactive auth only when
// replacing existing keys: the first upload and an identical retry need none, per the spec
// since v1.11 / MSC3967, as Synapse) and POST /keys/signatures/upload.
import { clientPaths } from '@homeserver/http';
import { requesterOf } from '@homeserver/services';
import type { FastifyInstance } from 'fastify';
import type { AccountsDeps } from '../accounts/accounts-deps.ts';
import type { UserInteractiveAuth } from '../accounts/uia.ts';
import { prepareSigningKeys, storeSigningKeys, type DeviceSigningUploadBody } from './cross-signing-upload.ts';
import { uploadSignatures, type SignedObjects } from './signature-upload.ts';

const PASSWORD_FLOWS = [['m.login.password']] as const;

export function registerCrossSigningRoutes(app: FastifyInstance, deps: Pick<AccountsDeps, 'db' | 'auth' | 'deviceLists'>, uia: UserInteractiveAuth): void {
  const { db, deviceLists } = deps;
  const authed = deps.auth.preHandler();

  // Also under unstable, where clients written before v1.1 (and Sytest) still upload.
  for (const url of clientPaths('/keys/device_signing/upload', { unstable: true })) {
    app.post<{ Body: DeviceSigningUploadBody & { auth?: unknown } }>(
      url,
      {
        preHandler: authed,
        schema: {
          body: {
            type: 'object',
            properties: {
              master_key: { type: 'object' },
              self_signing_key: { type: 'object' },
              user_signing_key: { type: 'object' },
              auth: { type: 'object' },
            },
          },
        },
      },
      async (request) => {
        const { userId } = requesterOf(request);
        const { auth, ...keys } = request.body;
        const prepared = await prepareSigningKeys(db, userId, keys);
        if (prepared.unchanged) return {};
        // Checked before the prompt so that a client never authenticates for an upload that fails.
        if (prepared.replacing) await uia.check(auth, { flows: PASSWORD_FLOWS, uri: '/keys/device_signing/upload', method: 'POST', userId });
        await storeSigningKeys(deviceLists, userId, prepared);
        return {};
      },
    );
  }

  for (const url of clientPaths('/keys/signatures/upload', { unstable: true })) {
    app.post<{ Body: SignedObjects }>(
      url,
      {
        preHandler: authed,
        schema: { body: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'object' } } } },
      },
      async (request) => uploadSignatures(db, deviceLists, requesterOf(request).userId, request.body),
    );
  }
}
