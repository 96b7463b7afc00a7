// Public entry of @homeserver/testing.
export { freePort } from './free-port.ts';
export type { NginxProxy, NginxProxyOptions } from './nginx-proxy.ts';
export { startNginxProxy } from './nginx-proxy.ts';
export { startNatsServer } from './nats-server.ts';
export type { NatsServerAuth, StartNatsServerOptions } from './nats-server.ts';
export { startRedisServer } from './redis-server.ts';
export type { TestBus } from './test-buses.ts';
export { TEST_BUSES } from './test-buses.ts';
export type { StartRedisServerOptions } from './redis-server.ts';
export { ServerBinaryMissingError, ServerStartError, SpawnedServer } from './spawned-server.ts';
export type { SpawnedServerOptions, TestServer } from './spawned-server.ts';
export {
  SpecLookupError,
  SpecValidator,
  SpecViolationError,
  findOperation,
  specValidator,
  validateResponse,
} from './spec-validator.ts';
export type { SpecOperation, SpecValidatorOptions } from './spec-validator.ts';
export { appEntry } from './app-entry.ts';
export type { AppExit, AppProcess, AppProcessOptions } from './app-process.ts';
export { runAppToExit, startAppProcess } from './app-process.ts';
export type { LoadedPackagesRecorder } from './loaded-packages.ts';
export { packageOfModule, recordLoadedPackages } from './loaded-packages.ts';
export { itRejectsBadConfig, itServesHealthAndDrains, writeConfigFiles } from './app-process-contract.ts';
export { describeWorkerAppConfigChecks, describeWorkerAppProcess } from './worker-app-contract.ts';
export { useWorkerServices, type WorkerServices } from './worker-services.ts';
export type { TestHomeserverConfigOptions } from './homeserver-config.ts';
export { testHomeserverConfig, writeTestHomeserverConfig } from './homeserver-config.ts';
export type { ReceivedPush, TestPushGateway } from './push-gateway.ts';
export type { ReceivedTransaction, TestAppservice } from './test-appservice.ts';
export { appserviceRegistrationYaml, startTestAppservice } from './test-appservice.ts';
export { startPushGateway } from './push-gateway.ts';
export type { ScenarioAnswer, ScenarioAnswers } from './admin-compare/admin-scenario.ts';
export { runAdminScenario } from './admin-compare/admin-scenario.ts';
export type { Shape } from './admin-compare/answer-shape.ts';
export { shapeDifferences, shapeOf } from './admin-compare/answer-shape.ts';
export type { ClientAnswer } from './cluster-client.ts';
export { ClusterClient } from './cluster-client.ts';
export type { TestCertificate, TestCertificateOptions } from './tls-certificate.ts';
export { createTestCertificate } from './tls-certificate.ts';
export type { FakeRemoteRoomOptions, RemoteEventFields } from './fake-remote-room.ts';
export { FakeRemoteRoom, fakeRemoteSigningKey } from './fake-remote-room.ts';
export type { FederationCluster, FederationClusterOptions, FederationMember } from './federation-cluster.ts';
export { startFederationCluster } from './federation-cluster.ts';
export type { StartSynapseOptions, SynapseServer } from './synapse-server.ts';
export { SYNAPSE_VERSION, ensureSynapseVenv, startSynapse, synapseVenvPath } from './synapse-server.ts';
export type { FederationStandIn, StandInTxn } from './federation-stand-in.ts';
export { startFederationStandIn } from './federation-stand-in.ts';
export type { WorkerCluster, WorkerClusterOptions } from './worker-cluster.ts';
export { clientCall, processMetric, startWorkerCluster } from './worker-cluster.ts';
