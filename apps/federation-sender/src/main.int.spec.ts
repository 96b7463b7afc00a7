// The federation-sender app as a worker process on real PostgreSQL and NATS.
import { describeWorkerAppProcess } from '@homeserver/testing';

describeWorkerAppProcess('federation-sender', { shared: 'federation_sender_instances: [federation-sender1]\n' });
