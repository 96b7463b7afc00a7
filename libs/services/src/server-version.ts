// The version this server reports (admin server_version, the topology page's processes).
export const SERVER_VERSION = '0.1.0';
