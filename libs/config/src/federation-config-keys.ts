// The schema of the federation keys (spread into the homeserver.yaml schema). Apart from
// federation-config.ts, which resolves them, so a process that skips schema validation (a config
// its own start already validated, see load-config.ts) never loads TypeBox.
import Type, { type Static } from 'typebox';

const Duration = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+(ms|s|m|h|d|w|y)?$' })]);
const Strings = Type.Array(Type.String({ minLength: 1 }));

/** The schema properties of the federation keys (spread into the homeserver.yaml schema). */
export const FEDERATION_CONFIG_KEYS = {
  old_signing_keys: Type.Optional(
    Type.Record(Type.String(), Type.Object({ key: Type.String({ minLength: 1 }), expired_ts: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
  ),
  key_refresh_interval: Type.Optional(Duration),
  trusted_key_servers: Type.Optional(
    Type.Array(
      Type.Object(
        {
          server_name: Type.String({ minLength: 1 }),
          verify_keys: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }))),
          accept_keys_insecurely: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
  ),
  suppress_key_server_warning: Type.Optional(Type.Boolean()),
  federation_verify_certificates: Type.Optional(Type.Boolean()),
  federation_custom_ca_list: Type.Optional(Strings),
  ip_range_blacklist: Type.Optional(Strings),
  ip_range_whitelist: Type.Optional(Strings),
  federation_domain_whitelist: Type.Optional(Type.Union([Strings, Type.Null()])),
  tls_certificate_path: Type.Optional(Type.String({ minLength: 1 })),
  tls_private_key_path: Type.Optional(Type.String({ minLength: 1 })),
  outbound_federation_restricted_to: Type.Optional(Type.Union([Strings, Type.Null()])),
};

export type FederationKeysFile = Static<ReturnType<typeof Type.Object<typeof FEDERATION_CONFIG_KEYS>>>;
