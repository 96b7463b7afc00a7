import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace homeserver. */
export namespace homeserver {

    /** Namespace actor. */
    namespace actor {

        /**
         * Properties of a StreamPosition.
         * @deprecated Use homeserver.actor.StreamPosition.$Properties instead.
         */
        interface IStreamPosition extends homeserver.actor.StreamPosition.$Properties {
        }

        /** Represents a StreamPosition. */
        class StreamPosition {

            /**
             * Constructs a new StreamPosition.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.actor.StreamPosition.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** StreamPosition stream. */
            stream: string;

            /** StreamPosition writer. */
            writer: string;

            /** StreamPosition position. */
            position: (number|Long);

            /**
             * Creates a new StreamPosition instance using the specified properties.
             * @param [properties] Properties to set
             * @returns StreamPosition instance
             */
            static create(properties: homeserver.actor.StreamPosition.$Shape): homeserver.actor.StreamPosition & homeserver.actor.StreamPosition.$Shape;
            static create(properties?: homeserver.actor.StreamPosition.$Properties): homeserver.actor.StreamPosition;

            /**
             * Encodes the specified StreamPosition message. Does not implicitly {@link homeserver.actor.StreamPosition.verify|verify} messages.
             * @param message StreamPosition message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.actor.StreamPosition.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a StreamPosition message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.actor.StreamPosition & homeserver.actor.StreamPosition.$Shape} StreamPosition
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.actor.StreamPosition & homeserver.actor.StreamPosition.$Shape;
        }

        namespace StreamPosition {

            /** Properties of a StreamPosition. */
            interface $Properties {

                /** StreamPosition stream */
                stream?: (string|null);

                /** StreamPosition writer */
                writer?: (string|null);

                /** StreamPosition position */
                position?: (number|Long|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a StreamPosition. */
            type $Shape = homeserver.actor.StreamPosition.$Properties;
        }

        /**
         * Properties of an ActorRequest.
         * @deprecated Use homeserver.actor.ActorRequest.$Properties instead.
         */
        interface IActorRequest extends homeserver.actor.ActorRequest.$Properties {
        }

        /** Represents an ActorRequest. */
        class ActorRequest {

            /**
             * Constructs a new ActorRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.actor.ActorRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ActorRequest kind. */
            kind: string;

            /** ActorRequest key. */
            key: string;

            /** ActorRequest method. */
            method: string;

            /** ActorRequest payload. */
            payload: Uint8Array;

            /** ActorRequest traceId. */
            traceId: string;

            /** ActorRequest deadlineMs. */
            deadlineMs: (number|Long);

            /** ActorRequest oneWay. */
            oneWay: boolean;

            /**
             * Creates a new ActorRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ActorRequest instance
             */
            static create(properties: homeserver.actor.ActorRequest.$Shape): homeserver.actor.ActorRequest & homeserver.actor.ActorRequest.$Shape;
            static create(properties?: homeserver.actor.ActorRequest.$Properties): homeserver.actor.ActorRequest;

            /**
             * Encodes the specified ActorRequest message. Does not implicitly {@link homeserver.actor.ActorRequest.verify|verify} messages.
             * @param message ActorRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.actor.ActorRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an ActorRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.actor.ActorRequest & homeserver.actor.ActorRequest.$Shape} ActorRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.actor.ActorRequest & homeserver.actor.ActorRequest.$Shape;
        }

        namespace ActorRequest {

            /** Properties of an ActorRequest. */
            interface $Properties {

                /** ActorRequest kind */
                kind?: (string|null);

                /** ActorRequest key */
                key?: (string|null);

                /** ActorRequest method */
                method?: (string|null);

                /** ActorRequest payload */
                payload?: (Uint8Array|null);

                /** ActorRequest traceId */
                traceId?: (string|null);

                /** ActorRequest deadlineMs */
                deadlineMs?: (number|Long|null);

                /** ActorRequest oneWay */
                oneWay?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an ActorRequest. */
            type $Shape = homeserver.actor.ActorRequest.$Properties;
        }

        /**
         * Properties of an ActorFailure.
         * @deprecated Use homeserver.actor.ActorFailure.$Properties instead.
         */
        interface IActorFailure extends homeserver.actor.ActorFailure.$Properties {
        }

        /** Represents an ActorFailure. */
        class ActorFailure {

            /**
             * Constructs a new ActorFailure.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.actor.ActorFailure.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ActorFailure code. */
            code: string;

            /** ActorFailure message. */
            message: string;

            /**
             * Creates a new ActorFailure instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ActorFailure instance
             */
            static create(properties: homeserver.actor.ActorFailure.$Shape): homeserver.actor.ActorFailure & homeserver.actor.ActorFailure.$Shape;
            static create(properties?: homeserver.actor.ActorFailure.$Properties): homeserver.actor.ActorFailure;

            /**
             * Encodes the specified ActorFailure message. Does not implicitly {@link homeserver.actor.ActorFailure.verify|verify} messages.
             * @param message ActorFailure message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.actor.ActorFailure.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an ActorFailure message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.actor.ActorFailure & homeserver.actor.ActorFailure.$Shape} ActorFailure
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.actor.ActorFailure & homeserver.actor.ActorFailure.$Shape;
        }

        namespace ActorFailure {

            /** Properties of an ActorFailure. */
            interface $Properties {

                /** ActorFailure code */
                code?: (string|null);

                /** ActorFailure message */
                message?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an ActorFailure. */
            type $Shape = homeserver.actor.ActorFailure.$Properties;
        }

        /**
         * Properties of an ActorReply.
         * @deprecated Use homeserver.actor.ActorReply.$Properties instead.
         */
        interface IActorReply extends homeserver.actor.ActorReply.$Properties {
        }

        /** Represents an ActorReply. */
        class ActorReply {

            /**
             * Constructs a new ActorReply.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.actor.ActorReply.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ActorReply ok. */
            ok?: (Uint8Array|null);

            /** ActorReply failure. */
            failure?: (homeserver.actor.ActorFailure.$Properties|null);

            /** ActorReply positions. */
            positions: homeserver.actor.StreamPosition.$Properties[];

            /** ActorReply traceId. */
            traceId: string;

            /** ActorReply result. */
            result?: ("ok"|"failure");

            /**
             * Creates a new ActorReply instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ActorReply instance
             */
            static create(properties: homeserver.actor.ActorReply.$Shape): homeserver.actor.ActorReply & homeserver.actor.ActorReply.$Shape;
            static create(properties?: homeserver.actor.ActorReply.$Properties): homeserver.actor.ActorReply;

            /**
             * Encodes the specified ActorReply message. Does not implicitly {@link homeserver.actor.ActorReply.verify|verify} messages.
             * @param message ActorReply message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.actor.ActorReply.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an ActorReply message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.actor.ActorReply & homeserver.actor.ActorReply.$Shape} ActorReply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.actor.ActorReply & homeserver.actor.ActorReply.$Shape;
        }

        namespace ActorReply {

            /** Properties of an ActorReply. */
            interface $Properties {

                /** ActorReply ok */
                ok?: (Uint8Array|null);

                /** ActorReply failure */
                failure?: (homeserver.actor.ActorFailure.$Properties|null);

                /** ActorReply positions */
                positions?: (homeserver.actor.StreamPosition.$Properties[]|null);

                /** ActorReply traceId */
                traceId?: (string|null);

                /** ActorReply result */
                result?: ("ok"|"failure");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of an ActorReply. */
            type $Shape = {
              ok?: Uint8Array|null;
              failure?: homeserver.actor.ActorFailure.$Shape|null;
              positions?: homeserver.actor.StreamPosition.$Shape[]|null;
              traceId?: string|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ result?: undefined; ok?: null; failure?: null }|{ result?: "ok"; ok: Uint8Array; failure?: null }|{ result?: "failure"; ok?: null; failure: homeserver.actor.ActorFailure.$Shape })
            );
        }
    }

    /** Namespace cluster. */
    namespace cluster {

        /**
         * Properties of a WriterState.
         * @deprecated Use homeserver.cluster.WriterState.$Properties instead.
         */
        interface IWriterState extends homeserver.cluster.WriterState.$Properties {
        }

        /** Represents a WriterState. */
        class WriterState {

            /**
             * Constructs a new WriterState.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.cluster.WriterState.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** WriterState stream. */
            stream: string;

            /** WriterState position. */
            position: (number|Long);

            /**
             * Creates a new WriterState instance using the specified properties.
             * @param [properties] Properties to set
             * @returns WriterState instance
             */
            static create(properties: homeserver.cluster.WriterState.$Shape): homeserver.cluster.WriterState & homeserver.cluster.WriterState.$Shape;
            static create(properties?: homeserver.cluster.WriterState.$Properties): homeserver.cluster.WriterState;

            /**
             * Encodes the specified WriterState message. Does not implicitly {@link homeserver.cluster.WriterState.verify|verify} messages.
             * @param message WriterState message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.cluster.WriterState.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a WriterState message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.cluster.WriterState & homeserver.cluster.WriterState.$Shape} WriterState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.cluster.WriterState & homeserver.cluster.WriterState.$Shape;
        }

        namespace WriterState {

            /** Properties of a WriterState. */
            interface $Properties {

                /** WriterState stream */
                stream?: (string|null);

                /** WriterState position */
                position?: (number|Long|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a WriterState. */
            type $Shape = homeserver.cluster.WriterState.$Properties;
        }

        /**
         * Properties of a ReaderWriterState.
         * @deprecated Use homeserver.cluster.ReaderWriterState.$Properties instead.
         */
        interface IReaderWriterState extends homeserver.cluster.ReaderWriterState.$Properties {
        }

        /** Represents a ReaderWriterState. */
        class ReaderWriterState {

            /**
             * Constructs a new ReaderWriterState.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.cluster.ReaderWriterState.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ReaderWriterState writer. */
            writer: string;

            /** ReaderWriterState position. */
            position: (number|Long);

            /** ReaderWriterState latest. */
            latest: (number|Long);

            /**
             * Creates a new ReaderWriterState instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ReaderWriterState instance
             */
            static create(properties: homeserver.cluster.ReaderWriterState.$Shape): homeserver.cluster.ReaderWriterState & homeserver.cluster.ReaderWriterState.$Shape;
            static create(properties?: homeserver.cluster.ReaderWriterState.$Properties): homeserver.cluster.ReaderWriterState;

            /**
             * Encodes the specified ReaderWriterState message. Does not implicitly {@link homeserver.cluster.ReaderWriterState.verify|verify} messages.
             * @param message ReaderWriterState message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.cluster.ReaderWriterState.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ReaderWriterState message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.cluster.ReaderWriterState & homeserver.cluster.ReaderWriterState.$Shape} ReaderWriterState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.cluster.ReaderWriterState & homeserver.cluster.ReaderWriterState.$Shape;
        }

        namespace ReaderWriterState {

            /** Properties of a ReaderWriterState. */
            interface $Properties {

                /** ReaderWriterState writer */
                writer?: (string|null);

                /** ReaderWriterState position */
                position?: (number|Long|null);

                /** ReaderWriterState latest */
                latest?: (number|Long|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ReaderWriterState. */
            type $Shape = homeserver.cluster.ReaderWriterState.$Properties;
        }

        /**
         * Properties of a ReaderState.
         * @deprecated Use homeserver.cluster.ReaderState.$Properties instead.
         */
        interface IReaderState extends homeserver.cluster.ReaderState.$Properties {
        }

        /** Represents a ReaderState. */
        class ReaderState {

            /**
             * Constructs a new ReaderState.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.cluster.ReaderState.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ReaderState stream. */
            stream: string;

            /** ReaderState ready. */
            ready: boolean;

            /** ReaderState writers. */
            writers: homeserver.cluster.ReaderWriterState.$Properties[];

            /**
             * Creates a new ReaderState instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ReaderState instance
             */
            static create(properties: homeserver.cluster.ReaderState.$Shape): homeserver.cluster.ReaderState & homeserver.cluster.ReaderState.$Shape;
            static create(properties?: homeserver.cluster.ReaderState.$Properties): homeserver.cluster.ReaderState;

            /**
             * Encodes the specified ReaderState message. Does not implicitly {@link homeserver.cluster.ReaderState.verify|verify} messages.
             * @param message ReaderState message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.cluster.ReaderState.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ReaderState message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.cluster.ReaderState & homeserver.cluster.ReaderState.$Shape} ReaderState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.cluster.ReaderState & homeserver.cluster.ReaderState.$Shape;
        }

        namespace ReaderState {

            /** Properties of a ReaderState. */
            interface $Properties {

                /** ReaderState stream */
                stream?: (string|null);

                /** ReaderState ready */
                ready?: (boolean|null);

                /** ReaderState writers */
                writers?: (homeserver.cluster.ReaderWriterState.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ReaderState. */
            type $Shape = homeserver.cluster.ReaderState.$Properties;
        }

        /**
         * Properties of an ActorKindState.
         * @deprecated Use homeserver.cluster.ActorKindState.$Properties instead.
         */
        interface IActorKindState extends homeserver.cluster.ActorKindState.$Properties {
        }

        /** Represents an ActorKindState. */
        class ActorKindState {

            /**
             * Constructs a new ActorKindState.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.cluster.ActorKindState.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ActorKindState kind. */
            kind: string;

            /** ActorKindState actors. */
            actors: (number|Long);

            /** ActorKindState queued. */
            queued: (number|Long);

            /**
             * Creates a new ActorKindState instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ActorKindState instance
             */
            static create(properties: homeserver.cluster.ActorKindState.$Shape): homeserver.cluster.ActorKindState & homeserver.cluster.ActorKindState.$Shape;
            static create(properties?: homeserver.cluster.ActorKindState.$Properties): homeserver.cluster.ActorKindState;

            /**
             * Encodes the specified ActorKindState message. Does not implicitly {@link homeserver.cluster.ActorKindState.verify|verify} messages.
             * @param message ActorKindState message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.cluster.ActorKindState.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an ActorKindState message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.cluster.ActorKindState & homeserver.cluster.ActorKindState.$Shape} ActorKindState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.cluster.ActorKindState & homeserver.cluster.ActorKindState.$Shape;
        }

        namespace ActorKindState {

            /** Properties of an ActorKindState. */
            interface $Properties {

                /** ActorKindState kind */
                kind?: (string|null);

                /** ActorKindState actors */
                actors?: (number|Long|null);

                /** ActorKindState queued */
                queued?: (number|Long|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an ActorKindState. */
            type $Shape = homeserver.cluster.ActorKindState.$Properties;
        }

        /**
         * Properties of a ProcessHeartbeat.
         * @deprecated Use homeserver.cluster.ProcessHeartbeat.$Properties instead.
         */
        interface IProcessHeartbeat extends homeserver.cluster.ProcessHeartbeat.$Properties {
        }

        /** Represents a ProcessHeartbeat. */
        class ProcessHeartbeat {

            /**
             * Constructs a new ProcessHeartbeat.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.cluster.ProcessHeartbeat.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ProcessHeartbeat workerName. */
            workerName: string;

            /** ProcessHeartbeat workerApp. */
            workerApp: string;

            /** ProcessHeartbeat incarnation. */
            incarnation: string;

            /** ProcessHeartbeat roles. */
            roles: string[];

            /** ProcessHeartbeat version. */
            version: string;

            /** ProcessHeartbeat startedAtMs. */
            startedAtMs: (number|Long);

            /** ProcessHeartbeat sentAtMs. */
            sentAtMs: (number|Long);

            /** ProcessHeartbeat intervalMs. */
            intervalMs: (number|Long);

            /** ProcessHeartbeat streamWriters. */
            streamWriters: homeserver.cluster.WriterState.$Properties[];

            /** ProcessHeartbeat streamReaders. */
            streamReaders: homeserver.cluster.ReaderState.$Properties[];

            /** ProcessHeartbeat actorKinds. */
            actorKinds: homeserver.cluster.ActorKindState.$Properties[];

            /** ProcessHeartbeat leaving. */
            leaving: boolean;

            /** ProcessHeartbeat hello. */
            hello: boolean;

            /** ProcessHeartbeat hostedKinds. */
            hostedKinds: string[];

            /** ProcessHeartbeat reportVersion. */
            reportVersion: (number|Long);

            /** ProcessHeartbeat beat. */
            beat: boolean;

            /** ProcessHeartbeat wanted. */
            wanted: string[];

            /** ProcessHeartbeat ageMs. */
            ageMs: (number|Long);

            /**
             * Creates a new ProcessHeartbeat instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ProcessHeartbeat instance
             */
            static create(properties: homeserver.cluster.ProcessHeartbeat.$Shape): homeserver.cluster.ProcessHeartbeat & homeserver.cluster.ProcessHeartbeat.$Shape;
            static create(properties?: homeserver.cluster.ProcessHeartbeat.$Properties): homeserver.cluster.ProcessHeartbeat;

            /**
             * Encodes the specified ProcessHeartbeat message. Does not implicitly {@link homeserver.cluster.ProcessHeartbeat.verify|verify} messages.
             * @param message ProcessHeartbeat message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.cluster.ProcessHeartbeat.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ProcessHeartbeat message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.cluster.ProcessHeartbeat & homeserver.cluster.ProcessHeartbeat.$Shape} ProcessHeartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.cluster.ProcessHeartbeat & homeserver.cluster.ProcessHeartbeat.$Shape;
        }

        namespace ProcessHeartbeat {

            /** Properties of a ProcessHeartbeat. */
            interface $Properties {

                /** ProcessHeartbeat workerName */
                workerName?: (string|null);

                /** ProcessHeartbeat workerApp */
                workerApp?: (string|null);

                /** ProcessHeartbeat incarnation */
                incarnation?: (string|null);

                /** ProcessHeartbeat roles */
                roles?: (string[]|null);

                /** ProcessHeartbeat version */
                version?: (string|null);

                /** ProcessHeartbeat startedAtMs */
                startedAtMs?: (number|Long|null);

                /** ProcessHeartbeat sentAtMs */
                sentAtMs?: (number|Long|null);

                /** ProcessHeartbeat intervalMs */
                intervalMs?: (number|Long|null);

                /** ProcessHeartbeat streamWriters */
                streamWriters?: (homeserver.cluster.WriterState.$Properties[]|null);

                /** ProcessHeartbeat streamReaders */
                streamReaders?: (homeserver.cluster.ReaderState.$Properties[]|null);

                /** ProcessHeartbeat actorKinds */
                actorKinds?: (homeserver.cluster.ActorKindState.$Properties[]|null);

                /** ProcessHeartbeat leaving */
                leaving?: (boolean|null);

                /** ProcessHeartbeat hello */
                hello?: (boolean|null);

                /** ProcessHeartbeat hostedKinds */
                hostedKinds?: (string[]|null);

                /** ProcessHeartbeat reportVersion */
                reportVersion?: (number|Long|null);

                /** ProcessHeartbeat beat */
                beat?: (boolean|null);

                /** ProcessHeartbeat wanted */
                wanted?: (string[]|null);

                /** ProcessHeartbeat ageMs */
                ageMs?: (number|Long|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ProcessHeartbeat. */
            type $Shape = homeserver.cluster.ProcessHeartbeat.$Properties;
        }

        /**
         * Properties of a ClusterView.
         * @deprecated Use homeserver.cluster.ClusterView.$Properties instead.
         */
        interface IClusterView extends homeserver.cluster.ClusterView.$Properties {
        }

        /** Represents a ClusterView. */
        class ClusterView {

            /**
             * Constructs a new ClusterView.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.cluster.ClusterView.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ClusterView relayIncarnation. */
            relayIncarnation: string;

            /** ClusterView members. */
            members: homeserver.cluster.ProcessHeartbeat.$Properties[];

            /** ClusterView wanted. */
            wanted: string[];

            /**
             * Creates a new ClusterView instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ClusterView instance
             */
            static create(properties: homeserver.cluster.ClusterView.$Shape): homeserver.cluster.ClusterView & homeserver.cluster.ClusterView.$Shape;
            static create(properties?: homeserver.cluster.ClusterView.$Properties): homeserver.cluster.ClusterView;

            /**
             * Encodes the specified ClusterView message. Does not implicitly {@link homeserver.cluster.ClusterView.verify|verify} messages.
             * @param message ClusterView message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.cluster.ClusterView.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ClusterView message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.cluster.ClusterView & homeserver.cluster.ClusterView.$Shape} ClusterView
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.cluster.ClusterView & homeserver.cluster.ClusterView.$Shape;
        }

        namespace ClusterView {

            /** Properties of a ClusterView. */
            interface $Properties {

                /** ClusterView relayIncarnation */
                relayIncarnation?: (string|null);

                /** ClusterView members */
                members?: (homeserver.cluster.ProcessHeartbeat.$Properties[]|null);

                /** ClusterView wanted */
                wanted?: (string[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ClusterView. */
            type $Shape = homeserver.cluster.ClusterView.$Properties;
        }
    }

    /** Namespace replication. */
    namespace replication {

        /**
         * Properties of a StreamAdvance.
         * @deprecated Use homeserver.replication.StreamAdvance.$Properties instead.
         */
        interface IStreamAdvance extends homeserver.replication.StreamAdvance.$Properties {
        }

        /** Represents a StreamAdvance. */
        class StreamAdvance {

            /**
             * Constructs a new StreamAdvance.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.replication.StreamAdvance.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** StreamAdvance stream. */
            stream: string;

            /** StreamAdvance writer. */
            writer: string;

            /** StreamAdvance prevPosition. */
            prevPosition: (number|Long);

            /** StreamAdvance position. */
            position: (number|Long);

            /** StreamAdvance rows. */
            rows: homeserver.replication.StreamRow.$Properties[];

            /** StreamAdvance traceId. */
            traceId: string;

            /** StreamAdvance heartbeat. */
            heartbeat: boolean;

            /** StreamAdvance rowsInline. */
            rowsInline: boolean;

            /**
             * Creates a new StreamAdvance instance using the specified properties.
             * @param [properties] Properties to set
             * @returns StreamAdvance instance
             */
            static create(properties: homeserver.replication.StreamAdvance.$Shape): homeserver.replication.StreamAdvance & homeserver.replication.StreamAdvance.$Shape;
            static create(properties?: homeserver.replication.StreamAdvance.$Properties): homeserver.replication.StreamAdvance;

            /**
             * Encodes the specified StreamAdvance message. Does not implicitly {@link homeserver.replication.StreamAdvance.verify|verify} messages.
             * @param message StreamAdvance message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.replication.StreamAdvance.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a StreamAdvance message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.replication.StreamAdvance & homeserver.replication.StreamAdvance.$Shape} StreamAdvance
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.replication.StreamAdvance & homeserver.replication.StreamAdvance.$Shape;
        }

        namespace StreamAdvance {

            /** Properties of a StreamAdvance. */
            interface $Properties {

                /** StreamAdvance stream */
                stream?: (string|null);

                /** StreamAdvance writer */
                writer?: (string|null);

                /** StreamAdvance prevPosition */
                prevPosition?: (number|Long|null);

                /** StreamAdvance position */
                position?: (number|Long|null);

                /** StreamAdvance rows */
                rows?: (homeserver.replication.StreamRow.$Properties[]|null);

                /** StreamAdvance traceId */
                traceId?: (string|null);

                /** StreamAdvance heartbeat */
                heartbeat?: (boolean|null);

                /** StreamAdvance rowsInline */
                rowsInline?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a StreamAdvance. */
            type $Shape = homeserver.replication.StreamAdvance.$Properties;
        }

        /**
         * Properties of a StreamRow.
         * @deprecated Use homeserver.replication.StreamRow.$Properties instead.
         */
        interface IStreamRow extends homeserver.replication.StreamRow.$Properties {
        }

        /** Represents a StreamRow. */
        class StreamRow {

            /**
             * Constructs a new StreamRow.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.replication.StreamRow.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** StreamRow position. */
            position: (number|Long);

            /** StreamRow data. */
            data: Uint8Array;

            /**
             * Creates a new StreamRow instance using the specified properties.
             * @param [properties] Properties to set
             * @returns StreamRow instance
             */
            static create(properties: homeserver.replication.StreamRow.$Shape): homeserver.replication.StreamRow & homeserver.replication.StreamRow.$Shape;
            static create(properties?: homeserver.replication.StreamRow.$Properties): homeserver.replication.StreamRow;

            /**
             * Encodes the specified StreamRow message. Does not implicitly {@link homeserver.replication.StreamRow.verify|verify} messages.
             * @param message StreamRow message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.replication.StreamRow.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a StreamRow message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.replication.StreamRow & homeserver.replication.StreamRow.$Shape} StreamRow
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.replication.StreamRow & homeserver.replication.StreamRow.$Shape;
        }

        namespace StreamRow {

            /** Properties of a StreamRow. */
            interface $Properties {

                /** StreamRow position */
                position?: (number|Long|null);

                /** StreamRow data */
                data?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a StreamRow. */
            type $Shape = homeserver.replication.StreamRow.$Properties;
        }

        /**
         * Properties of a PositionQuery.
         * @deprecated Use homeserver.replication.PositionQuery.$Properties instead.
         */
        interface IPositionQuery extends homeserver.replication.PositionQuery.$Properties {
        }

        /** Represents a PositionQuery. */
        class PositionQuery {

            /**
             * Constructs a new PositionQuery.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.replication.PositionQuery.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** PositionQuery stream. */
            stream: string;

            /**
             * Creates a new PositionQuery instance using the specified properties.
             * @param [properties] Properties to set
             * @returns PositionQuery instance
             */
            static create(properties: homeserver.replication.PositionQuery.$Shape): homeserver.replication.PositionQuery & homeserver.replication.PositionQuery.$Shape;
            static create(properties?: homeserver.replication.PositionQuery.$Properties): homeserver.replication.PositionQuery;

            /**
             * Encodes the specified PositionQuery message. Does not implicitly {@link homeserver.replication.PositionQuery.verify|verify} messages.
             * @param message PositionQuery message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.replication.PositionQuery.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a PositionQuery message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.replication.PositionQuery & homeserver.replication.PositionQuery.$Shape} PositionQuery
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.replication.PositionQuery & homeserver.replication.PositionQuery.$Shape;
        }

        namespace PositionQuery {

            /** Properties of a PositionQuery. */
            interface $Properties {

                /** PositionQuery stream */
                stream?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a PositionQuery. */
            type $Shape = homeserver.replication.PositionQuery.$Properties;
        }

        /**
         * Properties of a PositionReply.
         * @deprecated Use homeserver.replication.PositionReply.$Properties instead.
         */
        interface IPositionReply extends homeserver.replication.PositionReply.$Properties {
        }

        /** Represents a PositionReply. */
        class PositionReply {

            /**
             * Constructs a new PositionReply.
             * @param [properties] Properties to set
             */
            constructor(properties?: homeserver.replication.PositionReply.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** PositionReply stream. */
            stream: string;

            /** PositionReply writer. */
            writer: string;

            /** PositionReply position. */
            position: (number|Long);

            /**
             * Creates a new PositionReply instance using the specified properties.
             * @param [properties] Properties to set
             * @returns PositionReply instance
             */
            static create(properties: homeserver.replication.PositionReply.$Shape): homeserver.replication.PositionReply & homeserver.replication.PositionReply.$Shape;
            static create(properties?: homeserver.replication.PositionReply.$Properties): homeserver.replication.PositionReply;

            /**
             * Encodes the specified PositionReply message. Does not implicitly {@link homeserver.replication.PositionReply.verify|verify} messages.
             * @param message PositionReply message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: homeserver.replication.PositionReply.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a PositionReply message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {homeserver.replication.PositionReply & homeserver.replication.PositionReply.$Shape} PositionReply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): homeserver.replication.PositionReply & homeserver.replication.PositionReply.$Shape;
        }

        namespace PositionReply {

            /** Properties of a PositionReply. */
            interface $Properties {

                /** PositionReply stream */
                stream?: (string|null);

                /** PositionReply writer */
                writer?: (string|null);

                /** PositionReply position */
                position?: (number|Long|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a PositionReply. */
            type $Shape = homeserver.replication.PositionReply.$Properties;
        }
    }
}
