// The pusher app as a worker process on real PostgreSQL and NATS.
import { describeWorkerAppProcess } from '@homeserver/testing';

describeWorkerAppProcess('pusher', { shared: 'pusher_instances: [pusher1]\n' });
