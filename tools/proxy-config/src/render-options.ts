// Settings both renderers take.

export interface RenderOptions {
  /** What the proxy listens on: a port or address:port. Default: '80'. */
  readonly listen?: string;
  /** Largest request body passed on (media uploads; nginx only, haproxy sets none). Default: '50M'. */
  readonly maxBodySize?: string;
  /** Where nginx writes its pid (nginx only). Default: nginx's own. */
  readonly pidFile?: string;
  /** Where the proxy logs errors (nginx only; turns access logs off). Default: the proxy's own. */
  readonly errorLog?: string;
}
