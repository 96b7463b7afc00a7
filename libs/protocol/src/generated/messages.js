/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $String = $util.global.String, $Number = $util.global.Number, $parseInt = $util.global.parseInt, $BigInt = $util.global.BigInt, $Boolean = $util.global.Boolean, $Array = $util.global.Array;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const homeserver = $root.homeserver = (() => {

    /**
     * Namespace homeserver.
     * @exports homeserver
     * @namespace
     */
    const homeserver = {};

    homeserver.actor = (function() {

        /**
         * Namespace actor.
         * @memberof homeserver
         * @namespace
         */
        const actor = {};

        actor.StreamPosition = (function() {

            /**
             * Properties of a StreamPosition.
             * @typedef {Object} homeserver.actor.StreamPosition.$Properties
             * @property {string|null} [stream] StreamPosition stream
             * @property {string|null} [writer] StreamPosition writer
             * @property {number|Long|null} [position] StreamPosition position
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a StreamPosition.
             * @memberof homeserver.actor
             * @interface IStreamPosition
             * @augments homeserver.actor.StreamPosition.$Properties
             * @deprecated Use homeserver.actor.StreamPosition.$Properties instead.
             */

            /**
             * Shape of a StreamPosition.
             * @typedef {homeserver.actor.StreamPosition.$Properties} homeserver.actor.StreamPosition.$Shape
             */

            /**
             * Constructs a new StreamPosition.
             * @memberof homeserver.actor
             * @classdesc Represents a StreamPosition.
             * @constructor
             * @param {homeserver.actor.StreamPosition.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const StreamPosition = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * StreamPosition stream.
             * @member {string} stream
             * @memberof homeserver.actor.StreamPosition
             * @instance
             */
            StreamPosition.prototype.stream = "";

            /**
             * StreamPosition writer.
             * @member {string} writer
             * @memberof homeserver.actor.StreamPosition
             * @instance
             */
            StreamPosition.prototype.writer = "";

            /**
             * StreamPosition position.
             * @member {number|Long} position
             * @memberof homeserver.actor.StreamPosition
             * @instance
             */
            StreamPosition.prototype.position = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new StreamPosition instance using the specified properties.
             * @function create
             * @memberof homeserver.actor.StreamPosition
             * @static
             * @param {homeserver.actor.StreamPosition.$Properties=} [properties] Properties to set
             * @returns {homeserver.actor.StreamPosition} StreamPosition instance
             * @type {{
             *   (properties: homeserver.actor.StreamPosition.$Shape): homeserver.actor.StreamPosition & homeserver.actor.StreamPosition.$Shape;
             *   (properties?: homeserver.actor.StreamPosition.$Properties): homeserver.actor.StreamPosition;
             * }}
             */
            StreamPosition.create = function(properties) {
                return new StreamPosition(properties);
            };

            /**
             * Encodes the specified StreamPosition message. Does not implicitly {@link homeserver.actor.StreamPosition.verify|verify} messages.
             * @function encode
             * @memberof homeserver.actor.StreamPosition
             * @static
             * @param {homeserver.actor.StreamPosition.$Properties} message StreamPosition message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            StreamPosition.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream") && message.stream !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.stream);
                if (message.writer != null && $Object.hasOwnProperty.call(message, "writer") && message.writer !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.writer);
                if (message.position != null && $Object.hasOwnProperty.call(message, "position") && (typeof message.position === "object" ? message.position.low || message.position.high : message.position !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).int64(message.position);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified StreamPosition message, length delimited. Does not implicitly {@link homeserver.actor.StreamPosition.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.actor.StreamPosition
             * @static
             * @param {homeserver.actor.StreamPosition.$Properties} message StreamPosition message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            StreamPosition.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a StreamPosition message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.actor.StreamPosition
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.actor.StreamPosition & homeserver.actor.StreamPosition.$Shape} StreamPosition
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            StreamPosition.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.homeserver.actor.StreamPosition();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.stream = value;
                            else
                                delete message.stream;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.writer = value;
                            else
                                delete message.writer;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.position = value;
                            else
                                delete message.position;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a StreamPosition message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.actor.StreamPosition
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.actor.StreamPosition & homeserver.actor.StreamPosition.$Shape} StreamPosition
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            StreamPosition.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a StreamPosition message.
             * @function verify
             * @memberof homeserver.actor.StreamPosition
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            StreamPosition.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                    if (!$util.isString(message.stream))
                        return "stream: string expected";
                if (message.writer != null && $Object.hasOwnProperty.call(message, "writer"))
                    if (!$util.isString(message.writer))
                        return "writer: string expected";
                if (message.position != null && $Object.hasOwnProperty.call(message, "position"))
                    if (!$util.isInteger(message.position) && !(message.position && $util.isInteger(message.position.low) && $util.isInteger(message.position.high)))
                        return "position: integer|Long expected";
                return null;
            };

            /**
             * Creates a StreamPosition message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.actor.StreamPosition
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.actor.StreamPosition} StreamPosition
             */
            StreamPosition.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.actor.StreamPosition)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.actor.StreamPosition: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.actor.StreamPosition();
                if (object.stream != null)
                    if (typeof object.stream !== "string" || object.stream.length)
                        message.stream = $String(object.stream);
                if (object.writer != null)
                    if (typeof object.writer !== "string" || object.writer.length)
                        message.writer = $String(object.writer);
                if (object.position != null)
                    if (typeof object.position === "object" ? object.position.low || object.position.high : $Number(object.position) !== 0)
                        if ($util.Long)
                            message.position = $util.Long.fromValue(object.position, false);
                        else if (typeof object.position === "string")
                            message.position = $parseInt(object.position, 10);
                        else if (typeof object.position === "number")
                            message.position = object.position;
                        else if (typeof object.position === "object")
                            message.position = new $util.LongBits(object.position.low >>> 0, object.position.high >>> 0).toNumber();
                return message;
            };

            /**
             * Creates a plain object from a StreamPosition message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.actor.StreamPosition
             * @static
             * @param {homeserver.actor.StreamPosition} message StreamPosition
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            StreamPosition.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.stream = "";
                    object.writer = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.position = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.position = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                    object.stream = message.stream;
                if (message.writer != null && $Object.hasOwnProperty.call(message, "writer"))
                    object.writer = message.writer;
                if (message.position != null && $Object.hasOwnProperty.call(message, "position"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.position = typeof message.position === "number" ? $BigInt(message.position) : $util.Long.fromBits(message.position.low >>> 0, message.position.high >>> 0, false).toBigInt();
                    else if (typeof message.position === "number")
                        object.position = options.longs === $String ? $String(message.position) : message.position;
                    else
                        object.position = options.longs === $String ? $util.Long.prototype.toString.call(message.position) : options.longs === $Number ? new $util.LongBits(message.position.low >>> 0, message.position.high >>> 0).toNumber() : message.position;
                return object;
            };

            /**
             * Converts this StreamPosition to JSON.
             * @function toJSON
             * @memberof homeserver.actor.StreamPosition
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            StreamPosition.prototype.toJSON = function() {
                return StreamPosition.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for StreamPosition
             * @function getTypeUrl
             * @memberof homeserver.actor.StreamPosition
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            StreamPosition.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.actor.StreamPosition";
            };

            return StreamPosition;
        })();

        actor.ActorRequest = (function() {

            /**
             * Properties of an ActorRequest.
             * @typedef {Object} homeserver.actor.ActorRequest.$Properties
             * @property {string|null} [kind] ActorRequest kind
             * @property {string|null} [key] ActorRequest key
             * @property {string|null} [method] ActorRequest method
             * @property {Uint8Array|null} [payload] ActorRequest payload
             * @property {string|null} [traceId] ActorRequest traceId
             * @property {number|Long|null} [deadlineMs] ActorRequest deadlineMs
             * @property {boolean|null} [oneWay] ActorRequest oneWay
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an ActorRequest.
             * @memberof homeserver.actor
             * @interface IActorRequest
             * @augments homeserver.actor.ActorRequest.$Properties
             * @deprecated Use homeserver.actor.ActorRequest.$Properties instead.
             */

            /**
             * Shape of an ActorRequest.
             * @typedef {homeserver.actor.ActorRequest.$Properties} homeserver.actor.ActorRequest.$Shape
             */

            /**
             * Constructs a new ActorRequest.
             * @memberof homeserver.actor
             * @classdesc Represents an ActorRequest.
             * @constructor
             * @param {homeserver.actor.ActorRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ActorRequest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ActorRequest kind.
             * @member {string} kind
             * @memberof homeserver.actor.ActorRequest
             * @instance
             */
            ActorRequest.prototype.kind = "";

            /**
             * ActorRequest key.
             * @member {string} key
             * @memberof homeserver.actor.ActorRequest
             * @instance
             */
            ActorRequest.prototype.key = "";

            /**
             * ActorRequest method.
             * @member {string} method
             * @memberof homeserver.actor.ActorRequest
             * @instance
             */
            ActorRequest.prototype.method = "";

            /**
             * ActorRequest payload.
             * @member {Uint8Array} payload
             * @memberof homeserver.actor.ActorRequest
             * @instance
             */
            ActorRequest.prototype.payload = $util.newBuffer([]);

            /**
             * ActorRequest traceId.
             * @member {string} traceId
             * @memberof homeserver.actor.ActorRequest
             * @instance
             */
            ActorRequest.prototype.traceId = "";

            /**
             * ActorRequest deadlineMs.
             * @member {number|Long} deadlineMs
             * @memberof homeserver.actor.ActorRequest
             * @instance
             */
            ActorRequest.prototype.deadlineMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * ActorRequest oneWay.
             * @member {boolean} oneWay
             * @memberof homeserver.actor.ActorRequest
             * @instance
             */
            ActorRequest.prototype.oneWay = false;

            /**
             * Creates a new ActorRequest instance using the specified properties.
             * @function create
             * @memberof homeserver.actor.ActorRequest
             * @static
             * @param {homeserver.actor.ActorRequest.$Properties=} [properties] Properties to set
             * @returns {homeserver.actor.ActorRequest} ActorRequest instance
             * @type {{
             *   (properties: homeserver.actor.ActorRequest.$Shape): homeserver.actor.ActorRequest & homeserver.actor.ActorRequest.$Shape;
             *   (properties?: homeserver.actor.ActorRequest.$Properties): homeserver.actor.ActorRequest;
             * }}
             */
            ActorRequest.create = function(properties) {
                return new ActorRequest(properties);
            };

            /**
             * Encodes the specified ActorRequest message. Does not implicitly {@link homeserver.actor.ActorRequest.verify|verify} messages.
             * @function encode
             * @memberof homeserver.actor.ActorRequest
             * @static
             * @param {homeserver.actor.ActorRequest.$Properties} message ActorRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ActorRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.kind);
                if (message.key != null && $Object.hasOwnProperty.call(message, "key") && message.key !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.key);
                if (message.method != null && $Object.hasOwnProperty.call(message, "method") && message.method !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.method);
                if (message.payload != null && $Object.hasOwnProperty.call(message, "payload") && message.payload.length)
                    writer.uint32(/* id 4, wireType 2 =*/34).bytes(message.payload);
                if (message.traceId != null && $Object.hasOwnProperty.call(message, "traceId") && message.traceId !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.traceId);
                if (message.deadlineMs != null && $Object.hasOwnProperty.call(message, "deadlineMs") && (typeof message.deadlineMs === "object" ? message.deadlineMs.low || message.deadlineMs.high : message.deadlineMs !== 0))
                    writer.uint32(/* id 6, wireType 0 =*/48).int64(message.deadlineMs);
                if (message.oneWay != null && $Object.hasOwnProperty.call(message, "oneWay") && message.oneWay !== false)
                    writer.uint32(/* id 7, wireType 0 =*/56).bool(message.oneWay);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ActorRequest message, length delimited. Does not implicitly {@link homeserver.actor.ActorRequest.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.actor.ActorRequest
             * @static
             * @param {homeserver.actor.ActorRequest.$Properties} message ActorRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ActorRequest.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an ActorRequest message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.actor.ActorRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.actor.ActorRequest & homeserver.actor.ActorRequest.$Shape} ActorRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ActorRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.homeserver.actor.ActorRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.kind = value;
                            else
                                delete message.kind;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.key = value;
                            else
                                delete message.key;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.method = value;
                            else
                                delete message.method;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.payload = value;
                            else
                                delete message.payload;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.traceId = value;
                            else
                                delete message.traceId;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.deadlineMs = value;
                            else
                                delete message.deadlineMs;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.oneWay = value;
                            else
                                delete message.oneWay;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes an ActorRequest message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.actor.ActorRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.actor.ActorRequest & homeserver.actor.ActorRequest.$Shape} ActorRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ActorRequest.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies an ActorRequest message.
             * @function verify
             * @memberof homeserver.actor.ActorRequest
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ActorRequest.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    if (!$util.isString(message.kind))
                        return "kind: string expected";
                if (message.key != null && $Object.hasOwnProperty.call(message, "key"))
                    if (!$util.isString(message.key))
                        return "key: string expected";
                if (message.method != null && $Object.hasOwnProperty.call(message, "method"))
                    if (!$util.isString(message.method))
                        return "method: string expected";
                if (message.payload != null && $Object.hasOwnProperty.call(message, "payload"))
                    if (!(message.payload && typeof message.payload.length === "number" || $util.isString(message.payload)))
                        return "payload: buffer expected";
                if (message.traceId != null && $Object.hasOwnProperty.call(message, "traceId"))
                    if (!$util.isString(message.traceId))
                        return "traceId: string expected";
                if (message.deadlineMs != null && $Object.hasOwnProperty.call(message, "deadlineMs"))
                    if (!$util.isInteger(message.deadlineMs) && !(message.deadlineMs && $util.isInteger(message.deadlineMs.low) && $util.isInteger(message.deadlineMs.high)))
                        return "deadlineMs: integer|Long expected";
                if (message.oneWay != null && $Object.hasOwnProperty.call(message, "oneWay"))
                    if (typeof message.oneWay !== "boolean")
                        return "oneWay: boolean expected";
                return null;
            };

            /**
             * Creates an ActorRequest message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.actor.ActorRequest
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.actor.ActorRequest} ActorRequest
             */
            ActorRequest.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.actor.ActorRequest)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.actor.ActorRequest: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.actor.ActorRequest();
                if (object.kind != null)
                    if (typeof object.kind !== "string" || object.kind.length)
                        message.kind = $String(object.kind);
                if (object.key != null)
                    if (typeof object.key !== "string" || object.key.length)
                        message.key = $String(object.key);
                if (object.method != null)
                    if (typeof object.method !== "string" || object.method.length)
                        message.method = $String(object.method);
                if (object.payload != null)
                    if (object.payload.length)
                        if (typeof object.payload === "string")
                            $util.base64.decode(object.payload, message.payload = $util.newBuffer($util.base64.length(object.payload)), 0);
                        else if (object.payload.length >= 0)
                            message.payload = object.payload;
                if (object.traceId != null)
                    if (typeof object.traceId !== "string" || object.traceId.length)
                        message.traceId = $String(object.traceId);
                if (object.deadlineMs != null)
                    if (typeof object.deadlineMs === "object" ? object.deadlineMs.low || object.deadlineMs.high : $Number(object.deadlineMs) !== 0)
                        if ($util.Long)
                            message.deadlineMs = $util.Long.fromValue(object.deadlineMs, false);
                        else if (typeof object.deadlineMs === "string")
                            message.deadlineMs = $parseInt(object.deadlineMs, 10);
                        else if (typeof object.deadlineMs === "number")
                            message.deadlineMs = object.deadlineMs;
                        else if (typeof object.deadlineMs === "object")
                            message.deadlineMs = new $util.LongBits(object.deadlineMs.low >>> 0, object.deadlineMs.high >>> 0).toNumber();
                if (object.oneWay != null)
                    if (object.oneWay)
                        message.oneWay = $Boolean(object.oneWay);
                return message;
            };

            /**
             * Creates a plain object from an ActorRequest message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.actor.ActorRequest
             * @static
             * @param {homeserver.actor.ActorRequest} message ActorRequest
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ActorRequest.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.kind = "";
                    object.key = "";
                    object.method = "";
                    if (options.bytes === $String)
                        object.payload = "";
                    else {
                        object.payload = [];
                        if (options.bytes !== $Array)
                            object.payload = $util.newBuffer(object.payload);
                    }
                    object.traceId = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.deadlineMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.deadlineMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.oneWay = false;
                }
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    object.kind = message.kind;
                if (message.key != null && $Object.hasOwnProperty.call(message, "key"))
                    object.key = message.key;
                if (message.method != null && $Object.hasOwnProperty.call(message, "method"))
                    object.method = message.method;
                if (message.payload != null && $Object.hasOwnProperty.call(message, "payload"))
                    object.payload = options.bytes === $String ? $util.base64.encode(message.payload, 0, message.payload.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.payload) : message.payload;
                if (message.traceId != null && $Object.hasOwnProperty.call(message, "traceId"))
                    object.traceId = message.traceId;
                if (message.deadlineMs != null && $Object.hasOwnProperty.call(message, "deadlineMs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.deadlineMs = typeof message.deadlineMs === "number" ? $BigInt(message.deadlineMs) : $util.Long.fromBits(message.deadlineMs.low >>> 0, message.deadlineMs.high >>> 0, false).toBigInt();
                    else if (typeof message.deadlineMs === "number")
                        object.deadlineMs = options.longs === $String ? $String(message.deadlineMs) : message.deadlineMs;
                    else
                        object.deadlineMs = options.longs === $String ? $util.Long.prototype.toString.call(message.deadlineMs) : options.longs === $Number ? new $util.LongBits(message.deadlineMs.low >>> 0, message.deadlineMs.high >>> 0).toNumber() : message.deadlineMs;
                if (message.oneWay != null && $Object.hasOwnProperty.call(message, "oneWay"))
                    object.oneWay = message.oneWay;
                return object;
            };

            /**
             * Converts this ActorRequest to JSON.
             * @function toJSON
             * @memberof homeserver.actor.ActorRequest
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ActorRequest.prototype.toJSON = function() {
                return ActorRequest.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ActorRequest
             * @function getTypeUrl
             * @memberof homeserver.actor.ActorRequest
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ActorRequest.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.actor.ActorRequest";
            };

            return ActorRequest;
        })();

        actor.ActorFailure = (function() {

            /**
             * Properties of an ActorFailure.
             * @typedef {Object} homeserver.actor.ActorFailure.$Properties
             * @property {string|null} [code] ActorFailure code
             * @property {string|null} [message] ActorFailure message
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an ActorFailure.
             * @memberof homeserver.actor
             * @interface IActorFailure
             * @augments homeserver.actor.ActorFailure.$Properties
             * @deprecated Use homeserver.actor.ActorFailure.$Properties instead.
             */

            /**
             * Shape of an ActorFailure.
             * @typedef {homeserver.actor.ActorFailure.$Properties} homeserver.actor.ActorFailure.$Shape
             */

            /**
             * Constructs a new ActorFailure.
             * @memberof homeserver.actor
             * @classdesc Represents an ActorFailure.
             * @constructor
             * @param {homeserver.actor.ActorFailure.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ActorFailure = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ActorFailure code.
             * @member {string} code
             * @memberof homeserver.actor.ActorFailure
             * @instance
             */
            ActorFailure.prototype.code = "";

            /**
             * ActorFailure message.
             * @member {string} message
             * @memberof homeserver.actor.ActorFailure
             * @instance
             */
            ActorFailure.prototype.message = "";

            /**
             * Creates a new ActorFailure instance using the specified properties.
             * @function create
             * @memberof homeserver.actor.ActorFailure
             * @static
             * @param {homeserver.actor.ActorFailure.$Properties=} [properties] Properties to set
             * @returns {homeserver.actor.ActorFailure} ActorFailure instance
             * @type {{
             *   (properties: homeserver.actor.ActorFailure.$Shape): homeserver.actor.ActorFailure & homeserver.actor.ActorFailure.$Shape;
             *   (properties?: homeserver.actor.ActorFailure.$Properties): homeserver.actor.ActorFailure;
             * }}
             */
            ActorFailure.create = function(properties) {
                return new ActorFailure(properties);
            };

            /**
             * Encodes the specified ActorFailure message. Does not implicitly {@link homeserver.actor.ActorFailure.verify|verify} messages.
             * @function encode
             * @memberof homeserver.actor.ActorFailure
             * @static
             * @param {homeserver.actor.ActorFailure.$Properties} message ActorFailure message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ActorFailure.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.code);
                if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.message);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ActorFailure message, length delimited. Does not implicitly {@link homeserver.actor.ActorFailure.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.actor.ActorFailure
             * @static
             * @param {homeserver.actor.ActorFailure.$Properties} message ActorFailure message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ActorFailure.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an ActorFailure message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.actor.ActorFailure
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.actor.ActorFailure & homeserver.actor.ActorFailure.$Shape} ActorFailure
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ActorFailure.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.homeserver.actor.ActorFailure();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.code = value;
                            else
                                delete message.code;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.message = value;
                            else
                                delete message.message;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes an ActorFailure message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.actor.ActorFailure
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.actor.ActorFailure & homeserver.actor.ActorFailure.$Shape} ActorFailure
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ActorFailure.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies an ActorFailure message.
             * @function verify
             * @memberof homeserver.actor.ActorFailure
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ActorFailure.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                    if (!$util.isString(message.code))
                        return "code: string expected";
                if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                    if (!$util.isString(message.message))
                        return "message: string expected";
                return null;
            };

            /**
             * Creates an ActorFailure message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.actor.ActorFailure
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.actor.ActorFailure} ActorFailure
             */
            ActorFailure.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.actor.ActorFailure)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.actor.ActorFailure: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.actor.ActorFailure();
                if (object.code != null)
                    if (typeof object.code !== "string" || object.code.length)
                        message.code = $String(object.code);
                if (object.message != null)
                    if (typeof object.message !== "string" || object.message.length)
                        message.message = $String(object.message);
                return message;
            };

            /**
             * Creates a plain object from an ActorFailure message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.actor.ActorFailure
             * @static
             * @param {homeserver.actor.ActorFailure} message ActorFailure
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ActorFailure.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.code = "";
                    object.message = "";
                }
                if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                    object.code = message.code;
                if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                    object.message = message.message;
                return object;
            };

            /**
             * Converts this ActorFailure to JSON.
             * @function toJSON
             * @memberof homeserver.actor.ActorFailure
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ActorFailure.prototype.toJSON = function() {
                return ActorFailure.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ActorFailure
             * @function getTypeUrl
             * @memberof homeserver.actor.ActorFailure
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ActorFailure.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.actor.ActorFailure";
            };

            return ActorFailure;
        })();

        actor.ActorReply = (function() {

            /**
             * Properties of an ActorReply.
             * @typedef {Object} homeserver.actor.ActorReply.$Properties
             * @property {Uint8Array|null} [ok] ActorReply ok
             * @property {homeserver.actor.ActorFailure.$Properties|null} [failure] ActorReply failure
             * @property {Array.<homeserver.actor.StreamPosition.$Properties>|null} [positions] ActorReply positions
             * @property {string|null} [traceId] ActorReply traceId
             * @property {"ok"|"failure"} [result] ActorReply result
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an ActorReply.
             * @memberof homeserver.actor
             * @interface IActorReply
             * @augments homeserver.actor.ActorReply.$Properties
             * @deprecated Use homeserver.actor.ActorReply.$Properties instead.
             */

            /**
             * Narrowed shape of an ActorReply.
             * @typedef {{
             *   ok?: Uint8Array|null;
             *   failure?: homeserver.actor.ActorFailure.$Shape|null;
             *   positions?: Array.<homeserver.actor.StreamPosition.$Shape>|null;
             *   traceId?: string|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ result?: undefined; ok?: null; failure?: null }|{ result?: "ok"; ok: Uint8Array; failure?: null }|{ result?: "failure"; ok?: null; failure: homeserver.actor.ActorFailure.$Shape })
             * )} homeserver.actor.ActorReply.$Shape
             */

            /**
             * Constructs a new ActorReply.
             * @memberof homeserver.actor
             * @classdesc Represents an ActorReply.
             * @constructor
             * @param {homeserver.actor.ActorReply.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ActorReply = function (properties) {
                this.positions = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ActorReply ok.
             * @member {Uint8Array|null|undefined} ok
             * @memberof homeserver.actor.ActorReply
             * @instance
             */
            ActorReply.prototype.ok = null;

            /**
             * ActorReply failure.
             * @member {homeserver.actor.ActorFailure.$Properties|null|undefined} failure
             * @memberof homeserver.actor.ActorReply
             * @instance
             */
            ActorReply.prototype.failure = null;

            /**
             * ActorReply positions.
             * @member {Array.<homeserver.actor.StreamPosition.$Properties>} positions
             * @memberof homeserver.actor.ActorReply
             * @instance
             */
            ActorReply.prototype.positions = $util.emptyArray;

            /**
             * ActorReply traceId.
             * @member {string} traceId
             * @memberof homeserver.actor.ActorReply
             * @instance
             */
            ActorReply.prototype.traceId = "";

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * ActorReply result.
             * @member {"ok"|"failure"|undefined} result
             * @memberof homeserver.actor.ActorReply
             * @instance
             */
            $Object.defineProperty(ActorReply.prototype, "result", {
                get: $util.oneOfGetter($oneOfFields = ["ok", "failure"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new ActorReply instance using the specified properties.
             * @function create
             * @memberof homeserver.actor.ActorReply
             * @static
             * @param {homeserver.actor.ActorReply.$Properties=} [properties] Properties to set
             * @returns {homeserver.actor.ActorReply} ActorReply instance
             * @type {{
             *   (properties: homeserver.actor.ActorReply.$Shape): homeserver.actor.ActorReply & homeserver.actor.ActorReply.$Shape;
             *   (properties?: homeserver.actor.ActorReply.$Properties): homeserver.actor.ActorReply;
             * }}
             */
            ActorReply.create = function(properties) {
                return new ActorReply(properties);
            };

            /**
             * Encodes the specified ActorReply message. Does not implicitly {@link homeserver.actor.ActorReply.verify|verify} messages.
             * @function encode
             * @memberof homeserver.actor.ActorReply
             * @static
             * @param {homeserver.actor.ActorReply.$Properties} message ActorReply message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ActorReply.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.ok != null && $Object.hasOwnProperty.call(message, "ok"))
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.ok);
                if (message.failure != null && $Object.hasOwnProperty.call(message, "failure"))
                    $root.homeserver.actor.ActorFailure.encode(message.failure, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.positions != null && message.positions.length)
                    for (let i = 0; i < message.positions.length; ++i)
                        $root.homeserver.actor.StreamPosition.encode(message.positions[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.traceId != null && $Object.hasOwnProperty.call(message, "traceId") && message.traceId !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.traceId);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ActorReply message, length delimited. Does not implicitly {@link homeserver.actor.ActorReply.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.actor.ActorReply
             * @static
             * @param {homeserver.actor.ActorReply.$Properties} message ActorReply message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ActorReply.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an ActorReply message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.actor.ActorReply
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.actor.ActorReply & homeserver.actor.ActorReply.$Shape} ActorReply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ActorReply.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.homeserver.actor.ActorReply();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.ok = reader.bytes();
                            message.result = "ok";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.failure = $root.homeserver.actor.ActorFailure.decode(reader, reader.size(), $undefined, _depth + 1, message.failure);
                            message.result = "failure";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.positions && message.positions.length))
                                message.positions = [];
                            message.positions.push($root.homeserver.actor.StreamPosition.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.traceId = value;
                            else
                                delete message.traceId;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes an ActorReply message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.actor.ActorReply
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.actor.ActorReply & homeserver.actor.ActorReply.$Shape} ActorReply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ActorReply.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies an ActorReply message.
             * @function verify
             * @memberof homeserver.actor.ActorReply
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ActorReply.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.ok != null && $Object.hasOwnProperty.call(message, "ok")) {
                    properties.result = 1;
                    if (!(message.ok && typeof message.ok.length === "number" || $util.isString(message.ok)))
                        return "ok: buffer expected";
                }
                if (message.failure != null && $Object.hasOwnProperty.call(message, "failure")) {
                    if (properties.result === 1)
                        return "result: multiple values";
                    properties.result = 1;
                    {
                        let error = $root.homeserver.actor.ActorFailure.verify(message.failure, _depth + 1);
                        if (error)
                            return "failure." + error;
                    }
                }
                if (message.positions != null && $Object.hasOwnProperty.call(message, "positions")) {
                    if (!$Array.isArray(message.positions))
                        return "positions: array expected";
                    for (let i = 0; i < message.positions.length; ++i) {
                        let error = $root.homeserver.actor.StreamPosition.verify(message.positions[i], _depth + 1);
                        if (error)
                            return "positions." + error;
                    }
                }
                if (message.traceId != null && $Object.hasOwnProperty.call(message, "traceId"))
                    if (!$util.isString(message.traceId))
                        return "traceId: string expected";
                return null;
            };

            /**
             * Creates an ActorReply message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.actor.ActorReply
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.actor.ActorReply} ActorReply
             */
            ActorReply.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.actor.ActorReply)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.actor.ActorReply: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.actor.ActorReply();
                if (object.ok != null)
                    if (typeof object.ok === "string")
                        $util.base64.decode(object.ok, message.ok = $util.newBuffer($util.base64.length(object.ok)), 0);
                    else if (object.ok.length >= 0)
                        message.ok = object.ok;
                if (object.failure != null) {
                    if (!$util.isObject(object.failure))
                        throw $TypeError(".homeserver.actor.ActorReply.failure: object expected");
                    message.failure = $root.homeserver.actor.ActorFailure.fromObject(object.failure, _depth + 1);
                }
                if (object.positions) {
                    if (!$Array.isArray(object.positions))
                        throw $TypeError(".homeserver.actor.ActorReply.positions: array expected");
                    message.positions = $Array(object.positions.length);
                    for (let i = 0; i < object.positions.length; ++i) {
                        if (!$util.isObject(object.positions[i]))
                            throw $TypeError(".homeserver.actor.ActorReply.positions: object expected");
                        message.positions[i] = $root.homeserver.actor.StreamPosition.fromObject(object.positions[i], _depth + 1);
                    }
                }
                if (object.traceId != null)
                    if (typeof object.traceId !== "string" || object.traceId.length)
                        message.traceId = $String(object.traceId);
                return message;
            };

            /**
             * Creates a plain object from an ActorReply message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.actor.ActorReply
             * @static
             * @param {homeserver.actor.ActorReply} message ActorReply
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ActorReply.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.positions = [];
                if (options.defaults)
                    object.traceId = "";
                if (message.ok != null && $Object.hasOwnProperty.call(message, "ok")) {
                    object.ok = options.bytes === $String ? $util.base64.encode(message.ok, 0, message.ok.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.ok) : message.ok;
                    if (options.oneofs)
                        object.result = "ok";
                }
                if (message.failure != null && $Object.hasOwnProperty.call(message, "failure")) {
                    object.failure = $root.homeserver.actor.ActorFailure.toObject(message.failure, options, _depth + 1);
                    if (options.oneofs)
                        object.result = "failure";
                }
                if (message.positions && message.positions.length) {
                    object.positions = $Array(message.positions.length);
                    for (let j = 0; j < message.positions.length; ++j)
                        object.positions[j] = $root.homeserver.actor.StreamPosition.toObject(message.positions[j], options, _depth + 1);
                }
                if (message.traceId != null && $Object.hasOwnProperty.call(message, "traceId"))
                    object.traceId = message.traceId;
                return object;
            };

            /**
             * Converts this ActorReply to JSON.
             * @function toJSON
             * @memberof homeserver.actor.ActorReply
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ActorReply.prototype.toJSON = function() {
                return ActorReply.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ActorReply
             * @function getTypeUrl
             * @memberof homeserver.actor.ActorReply
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ActorReply.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.actor.ActorReply";
            };

            return ActorReply;
        })();

        return actor;
    })();

    homeserver.replication = (function() {

        /**
         * Namespace replication.
         * @memberof homeserver
         * @namespace
         */
        const replication = {};

        replication.StreamAdvance = (function() {

            /**
             * Properties of a StreamAdvance.
             * @typedef {Object} homeserver.replication.StreamAdvance.$Properties
             * @property {string|null} [stream] StreamAdvance stream
             * @property {string|null} [writer] StreamAdvance writer
             * @property {number|Long|null} [prevPosition] StreamAdvance prevPosition
             * @property {number|Long|null} [position] StreamAdvance position
             * @property {Array.<homeserver.replication.StreamRow.$Properties>|null} [rows] StreamAdvance rows
             * @property {string|null} [traceId] StreamAdvance traceId
             * @property {boolean|null} [heartbeat] StreamAdvance heartbeat
             * @property {boolean|null} [rowsInline] StreamAdvance rowsInline
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a StreamAdvance.
             * @memberof homeserver.replication
             * @interface IStreamAdvance
             * @augments homeserver.replication.StreamAdvance.$Properties
             * @deprecated Use homeserver.replication.StreamAdvance.$Properties instead.
             */

            /**
             * Shape of a StreamAdvance.
             * @typedef {homeserver.replication.StreamAdvance.$Properties} homeserver.replication.StreamAdvance.$Shape
             */

            /**
             * Constructs a new StreamAdvance.
             * @memberof homeserver.replication
             * @classdesc Represents a StreamAdvance.
             * @constructor
             * @param {homeserver.replication.StreamAdvance.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const StreamAdvance = function (properties) {
                this.rows = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * StreamAdvance stream.
             * @member {string} stream
             * @memberof homeserver.replication.StreamAdvance
             * @instance
             */
            StreamAdvance.prototype.stream = "";

            /**
             * StreamAdvance writer.
             * @member {string} writer
             * @memberof homeserver.replication.StreamAdvance
             * @instance
             */
            StreamAdvance.prototype.writer = "";

            /**
             * StreamAdvance prevPosition.
             * @member {number|Long} prevPosition
             * @memberof homeserver.replication.StreamAdvance
             * @instance
             */
            StreamAdvance.prototype.prevPosition = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * StreamAdvance position.
             * @member {number|Long} position
             * @memberof homeserver.replication.StreamAdvance
             * @instance
             */
            StreamAdvance.prototype.position = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * StreamAdvance rows.
             * @member {Array.<homeserver.replication.StreamRow.$Properties>} rows
             * @memberof homeserver.replication.StreamAdvance
             * @instance
             */
            StreamAdvance.prototype.rows = $util.emptyArray;

            /**
             * StreamAdvance traceId.
             * @member {string} traceId
             * @memberof homeserver.replication.StreamAdvance
             * @instance
             */
            StreamAdvance.prototype.traceId = "";

            /**
             * StreamAdvance heartbeat.
             * @member {boolean} heartbeat
             * @memberof homeserver.replication.StreamAdvance
             * @instance
             */
            StreamAdvance.prototype.heartbeat = false;

            /**
             * StreamAdvance rowsInline.
             * @member {boolean} rowsInline
             * @memberof homeserver.replication.StreamAdvance
             * @instance
             */
            StreamAdvance.prototype.rowsInline = false;

            /**
             * Creates a new StreamAdvance instance using the specified properties.
             * @function create
             * @memberof homeserver.replication.StreamAdvance
             * @static
             * @param {homeserver.replication.StreamAdvance.$Properties=} [properties] Properties to set
             * @returns {homeserver.replication.StreamAdvance} StreamAdvance instance
             * @type {{
             *   (properties: homeserver.replication.StreamAdvance.$Shape): homeserver.replication.StreamAdvance & homeserver.replication.StreamAdvance.$Shape;
             *   (properties?: homeserver.replication.StreamAdvance.$Properties): homeserver.replication.StreamAdvance;
             * }}
             */
            StreamAdvance.create = function(properties) {
                return new StreamAdvance(properties);
            };

            /**
             * Encodes the specified StreamAdvance message. Does not implicitly {@link homeserver.replication.StreamAdvance.verify|verify} messages.
             * @function encode
             * @memberof homeserver.replication.StreamAdvance
             * @static
             * @param {homeserver.replication.StreamAdvance.$Properties} message StreamAdvance message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            StreamAdvance.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream") && message.stream !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.stream);
                if (message.writer != null && $Object.hasOwnProperty.call(message, "writer") && message.writer !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.writer);
                if (message.prevPosition != null && $Object.hasOwnProperty.call(message, "prevPosition") && (typeof message.prevPosition === "object" ? message.prevPosition.low || message.prevPosition.high : message.prevPosition !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).int64(message.prevPosition);
                if (message.position != null && $Object.hasOwnProperty.call(message, "position") && (typeof message.position === "object" ? message.position.low || message.position.high : message.position !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).int64(message.position);
                if (message.rows != null && message.rows.length)
                    for (let i = 0; i < message.rows.length; ++i)
                        $root.homeserver.replication.StreamRow.encode(message.rows[i], writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.traceId != null && $Object.hasOwnProperty.call(message, "traceId") && message.traceId !== "")
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.traceId);
                if (message.heartbeat != null && $Object.hasOwnProperty.call(message, "heartbeat") && message.heartbeat !== false)
                    writer.uint32(/* id 7, wireType 0 =*/56).bool(message.heartbeat);
                if (message.rowsInline != null && $Object.hasOwnProperty.call(message, "rowsInline") && message.rowsInline !== false)
                    writer.uint32(/* id 8, wireType 0 =*/64).bool(message.rowsInline);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified StreamAdvance message, length delimited. Does not implicitly {@link homeserver.replication.StreamAdvance.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.replication.StreamAdvance
             * @static
             * @param {homeserver.replication.StreamAdvance.$Properties} message StreamAdvance message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            StreamAdvance.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a StreamAdvance message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.replication.StreamAdvance
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.replication.StreamAdvance & homeserver.replication.StreamAdvance.$Shape} StreamAdvance
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            StreamAdvance.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.homeserver.replication.StreamAdvance();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.stream = value;
                            else
                                delete message.stream;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.writer = value;
                            else
                                delete message.writer;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.prevPosition = value;
                            else
                                delete message.prevPosition;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.position = value;
                            else
                                delete message.position;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if (!(message.rows && message.rows.length))
                                message.rows = [];
                            message.rows.push($root.homeserver.replication.StreamRow.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.traceId = value;
                            else
                                delete message.traceId;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.heartbeat = value;
                            else
                                delete message.heartbeat;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.rowsInline = value;
                            else
                                delete message.rowsInline;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a StreamAdvance message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.replication.StreamAdvance
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.replication.StreamAdvance & homeserver.replication.StreamAdvance.$Shape} StreamAdvance
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            StreamAdvance.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a StreamAdvance message.
             * @function verify
             * @memberof homeserver.replication.StreamAdvance
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            StreamAdvance.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                    if (!$util.isString(message.stream))
                        return "stream: string expected";
                if (message.writer != null && $Object.hasOwnProperty.call(message, "writer"))
                    if (!$util.isString(message.writer))
                        return "writer: string expected";
                if (message.prevPosition != null && $Object.hasOwnProperty.call(message, "prevPosition"))
                    if (!$util.isInteger(message.prevPosition) && !(message.prevPosition && $util.isInteger(message.prevPosition.low) && $util.isInteger(message.prevPosition.high)))
                        return "prevPosition: integer|Long expected";
                if (message.position != null && $Object.hasOwnProperty.call(message, "position"))
                    if (!$util.isInteger(message.position) && !(message.position && $util.isInteger(message.position.low) && $util.isInteger(message.position.high)))
                        return "position: integer|Long expected";
                if (message.rows != null && $Object.hasOwnProperty.call(message, "rows")) {
                    if (!$Array.isArray(message.rows))
                        return "rows: array expected";
                    for (let i = 0; i < message.rows.length; ++i) {
                        let error = $root.homeserver.replication.StreamRow.verify(message.rows[i], _depth + 1);
                        if (error)
                            return "rows." + error;
                    }
                }
                if (message.traceId != null && $Object.hasOwnProperty.call(message, "traceId"))
                    if (!$util.isString(message.traceId))
                        return "traceId: string expected";
                if (message.heartbeat != null && $Object.hasOwnProperty.call(message, "heartbeat"))
                    if (typeof message.heartbeat !== "boolean")
                        return "heartbeat: boolean expected";
                if (message.rowsInline != null && $Object.hasOwnProperty.call(message, "rowsInline"))
                    if (typeof message.rowsInline !== "boolean")
                        return "rowsInline: boolean expected";
                return null;
            };

            /**
             * Creates a StreamAdvance message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.replication.StreamAdvance
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.replication.StreamAdvance} StreamAdvance
             */
            StreamAdvance.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.replication.StreamAdvance)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.replication.StreamAdvance: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.replication.StreamAdvance();
                if (object.stream != null)
                    if (typeof object.stream !== "string" || object.stream.length)
                        message.stream = $String(object.stream);
                if (object.writer != null)
                    if (typeof object.writer !== "string" || object.writer.length)
                        message.writer = $String(object.writer);
                if (object.prevPosition != null)
                    if (typeof object.prevPosition === "object" ? object.prevPosition.low || object.prevPosition.high : $Number(object.prevPosition) !== 0)
                        if ($util.Long)
                            message.prevPosition = $util.Long.fromValue(object.prevPosition, false);
                        else if (typeof object.prevPosition === "string")
                            message.prevPosition = $parseInt(object.prevPosition, 10);
                        else if (typeof object.prevPosition === "number")
                            message.prevPosition = object.prevPosition;
                        else if (typeof object.prevPosition === "object")
                            message.prevPosition = new $util.LongBits(object.prevPosition.low >>> 0, object.prevPosition.high >>> 0).toNumber();
                if (object.position != null)
                    if (typeof object.position === "object" ? object.position.low || object.position.high : $Number(object.position) !== 0)
                        if ($util.Long)
                            message.position = $util.Long.fromValue(object.position, false);
                        else if (typeof object.position === "string")
                            message.position = $parseInt(object.position, 10);
                        else if (typeof object.position === "number")
                            message.position = object.position;
                        else if (typeof object.position === "object")
                            message.position = new $util.LongBits(object.position.low >>> 0, object.position.high >>> 0).toNumber();
                if (object.rows) {
                    if (!$Array.isArray(object.rows))
                        throw $TypeError(".homeserver.replication.StreamAdvance.rows: array expected");
                    message.rows = $Array(object.rows.length);
                    for (let i = 0; i < object.rows.length; ++i) {
                        if (!$util.isObject(object.rows[i]))
                            throw $TypeError(".homeserver.replication.StreamAdvance.rows: object expected");
                        message.rows[i] = $root.homeserver.replication.StreamRow.fromObject(object.rows[i], _depth + 1);
                    }
                }
                if (object.traceId != null)
                    if (typeof object.traceId !== "string" || object.traceId.length)
                        message.traceId = $String(object.traceId);
                if (object.heartbeat != null)
                    if (object.heartbeat)
                        message.heartbeat = $Boolean(object.heartbeat);
                if (object.rowsInline != null)
                    if (object.rowsInline)
                        message.rowsInline = $Boolean(object.rowsInline);
                return message;
            };

            /**
             * Creates a plain object from a StreamAdvance message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.replication.StreamAdvance
             * @static
             * @param {homeserver.replication.StreamAdvance} message StreamAdvance
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            StreamAdvance.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.rows = [];
                if (options.defaults) {
                    object.stream = "";
                    object.writer = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.prevPosition = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.prevPosition = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.position = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.position = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.traceId = "";
                    object.heartbeat = false;
                    object.rowsInline = false;
                }
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                    object.stream = message.stream;
                if (message.writer != null && $Object.hasOwnProperty.call(message, "writer"))
                    object.writer = message.writer;
                if (message.prevPosition != null && $Object.hasOwnProperty.call(message, "prevPosition"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.prevPosition = typeof message.prevPosition === "number" ? $BigInt(message.prevPosition) : $util.Long.fromBits(message.prevPosition.low >>> 0, message.prevPosition.high >>> 0, false).toBigInt();
                    else if (typeof message.prevPosition === "number")
                        object.prevPosition = options.longs === $String ? $String(message.prevPosition) : message.prevPosition;
                    else
                        object.prevPosition = options.longs === $String ? $util.Long.prototype.toString.call(message.prevPosition) : options.longs === $Number ? new $util.LongBits(message.prevPosition.low >>> 0, message.prevPosition.high >>> 0).toNumber() : message.prevPosition;
                if (message.position != null && $Object.hasOwnProperty.call(message, "position"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.position = typeof message.position === "number" ? $BigInt(message.position) : $util.Long.fromBits(message.position.low >>> 0, message.position.high >>> 0, false).toBigInt();
                    else if (typeof message.position === "number")
                        object.position = options.longs === $String ? $String(message.position) : message.position;
                    else
                        object.position = options.longs === $String ? $util.Long.prototype.toString.call(message.position) : options.longs === $Number ? new $util.LongBits(message.position.low >>> 0, message.position.high >>> 0).toNumber() : message.position;
                if (message.rows && message.rows.length) {
                    object.rows = $Array(message.rows.length);
                    for (let j = 0; j < message.rows.length; ++j)
                        object.rows[j] = $root.homeserver.replication.StreamRow.toObject(message.rows[j], options, _depth + 1);
                }
                if (message.traceId != null && $Object.hasOwnProperty.call(message, "traceId"))
                    object.traceId = message.traceId;
                if (message.heartbeat != null && $Object.hasOwnProperty.call(message, "heartbeat"))
                    object.heartbeat = message.heartbeat;
                if (message.rowsInline != null && $Object.hasOwnProperty.call(message, "rowsInline"))
                    object.rowsInline = message.rowsInline;
                return object;
            };

            /**
             * Converts this StreamAdvance to JSON.
             * @function toJSON
             * @memberof homeserver.replication.StreamAdvance
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            StreamAdvance.prototype.toJSON = function() {
                return StreamAdvance.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for StreamAdvance
             * @function getTypeUrl
             * @memberof homeserver.replication.StreamAdvance
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            StreamAdvance.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.replication.StreamAdvance";
            };

            return StreamAdvance;
        })();

        replication.StreamRow = (function() {

            /**
             * Properties of a StreamRow.
             * @typedef {Object} homeserver.replication.StreamRow.$Properties
             * @property {number|Long|null} [position] StreamRow position
             * @property {Uint8Array|null} [data] StreamRow data
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a StreamRow.
             * @memberof homeserver.replication
             * @interface IStreamRow
             * @augments homeserver.replication.StreamRow.$Properties
             * @deprecated Use homeserver.replication.StreamRow.$Properties instead.
             */

            /**
             * Shape of a StreamRow.
             * @typedef {homeserver.replication.StreamRow.$Properties} homeserver.replication.StreamRow.$Shape
             */

            /**
             * Constructs a new StreamRow.
             * @memberof homeserver.replication
             * @classdesc Represents a StreamRow.
             * @constructor
             * @param {homeserver.replication.StreamRow.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const StreamRow = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * StreamRow position.
             * @member {number|Long} position
             * @memberof homeserver.replication.StreamRow
             * @instance
             */
            StreamRow.prototype.position = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * StreamRow data.
             * @member {Uint8Array} data
             * @memberof homeserver.replication.StreamRow
             * @instance
             */
            StreamRow.prototype.data = $util.newBuffer([]);

            /**
             * Creates a new StreamRow instance using the specified properties.
             * @function create
             * @memberof homeserver.replication.StreamRow
             * @static
             * @param {homeserver.replication.StreamRow.$Properties=} [properties] Properties to set
             * @returns {homeserver.replication.StreamRow} StreamRow instance
             * @type {{
             *   (properties: homeserver.replication.StreamRow.$Shape): homeserver.replication.StreamRow & homeserver.replication.StreamRow.$Shape;
             *   (properties?: homeserver.replication.StreamRow.$Properties): homeserver.replication.StreamRow;
             * }}
             */
            StreamRow.create = function(properties) {
                return new StreamRow(properties);
            };

            /**
             * Encodes the specified StreamRow message. Does not implicitly {@link homeserver.replication.StreamRow.verify|verify} messages.
             * @function encode
             * @memberof homeserver.replication.StreamRow
             * @static
             * @param {homeserver.replication.StreamRow.$Properties} message StreamRow message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            StreamRow.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.position != null && $Object.hasOwnProperty.call(message, "position") && (typeof message.position === "object" ? message.position.low || message.position.high : message.position !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).int64(message.position);
                if (message.data != null && $Object.hasOwnProperty.call(message, "data") && message.data.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.data);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified StreamRow message, length delimited. Does not implicitly {@link homeserver.replication.StreamRow.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.replication.StreamRow
             * @static
             * @param {homeserver.replication.StreamRow.$Properties} message StreamRow message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            StreamRow.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a StreamRow message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.replication.StreamRow
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.replication.StreamRow & homeserver.replication.StreamRow.$Shape} StreamRow
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            StreamRow.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.homeserver.replication.StreamRow();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.position = value;
                            else
                                delete message.position;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.data = value;
                            else
                                delete message.data;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a StreamRow message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.replication.StreamRow
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.replication.StreamRow & homeserver.replication.StreamRow.$Shape} StreamRow
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            StreamRow.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a StreamRow message.
             * @function verify
             * @memberof homeserver.replication.StreamRow
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            StreamRow.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.position != null && $Object.hasOwnProperty.call(message, "position"))
                    if (!$util.isInteger(message.position) && !(message.position && $util.isInteger(message.position.low) && $util.isInteger(message.position.high)))
                        return "position: integer|Long expected";
                if (message.data != null && $Object.hasOwnProperty.call(message, "data"))
                    if (!(message.data && typeof message.data.length === "number" || $util.isString(message.data)))
                        return "data: buffer expected";
                return null;
            };

            /**
             * Creates a StreamRow message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.replication.StreamRow
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.replication.StreamRow} StreamRow
             */
            StreamRow.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.replication.StreamRow)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.replication.StreamRow: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.replication.StreamRow();
                if (object.position != null)
                    if (typeof object.position === "object" ? object.position.low || object.position.high : $Number(object.position) !== 0)
                        if ($util.Long)
                            message.position = $util.Long.fromValue(object.position, false);
                        else if (typeof object.position === "string")
                            message.position = $parseInt(object.position, 10);
                        else if (typeof object.position === "number")
                            message.position = object.position;
                        else if (typeof object.position === "object")
                            message.position = new $util.LongBits(object.position.low >>> 0, object.position.high >>> 0).toNumber();
                if (object.data != null)
                    if (object.data.length)
                        if (typeof object.data === "string")
                            $util.base64.decode(object.data, message.data = $util.newBuffer($util.base64.length(object.data)), 0);
                        else if (object.data.length >= 0)
                            message.data = object.data;
                return message;
            };

            /**
             * Creates a plain object from a StreamRow message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.replication.StreamRow
             * @static
             * @param {homeserver.replication.StreamRow} message StreamRow
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            StreamRow.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.position = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.position = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if (options.bytes === $String)
                        object.data = "";
                    else {
                        object.data = [];
                        if (options.bytes !== $Array)
                            object.data = $util.newBuffer(object.data);
                    }
                }
                if (message.position != null && $Object.hasOwnProperty.call(message, "position"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.position = typeof message.position === "number" ? $BigInt(message.position) : $util.Long.fromBits(message.position.low >>> 0, message.position.high >>> 0, false).toBigInt();
                    else if (typeof message.position === "number")
                        object.position = options.longs === $String ? $String(message.position) : message.position;
                    else
                        object.position = options.longs === $String ? $util.Long.prototype.toString.call(message.position) : options.longs === $Number ? new $util.LongBits(message.position.low >>> 0, message.position.high >>> 0).toNumber() : message.position;
                if (message.data != null && $Object.hasOwnProperty.call(message, "data"))
                    object.data = options.bytes === $String ? $util.base64.encode(message.data, 0, message.data.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.data) : message.data;
                return object;
            };

            /**
             * Converts this StreamRow to JSON.
             * @function toJSON
             * @memberof homeserver.replication.StreamRow
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            StreamRow.prototype.toJSON = function() {
                return StreamRow.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for StreamRow
             * @function getTypeUrl
             * @memberof homeserver.replication.StreamRow
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            StreamRow.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.replication.StreamRow";
            };

            return StreamRow;
        })();

        replication.PositionQuery = (function() {

            /**
             * Properties of a PositionQuery.
             * @typedef {Object} homeserver.replication.PositionQuery.$Properties
             * @property {string|null} [stream] PositionQuery stream
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PositionQuery.
             * @memberof homeserver.replication
             * @interface IPositionQuery
             * @augments homeserver.replication.PositionQuery.$Properties
             * @deprecated Use homeserver.replication.PositionQuery.$Properties instead.
             */

            /**
             * Shape of a PositionQuery.
             * @typedef {homeserver.replication.PositionQuery.$Properties} homeserver.replication.PositionQuery.$Shape
             */

            /**
             * Constructs a new PositionQuery.
             * @memberof homeserver.replication
             * @classdesc Represents a PositionQuery.
             * @constructor
             * @param {homeserver.replication.PositionQuery.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PositionQuery = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * PositionQuery stream.
             * @member {string} stream
             * @memberof homeserver.replication.PositionQuery
             * @instance
             */
            PositionQuery.prototype.stream = "";

            /**
             * Creates a new PositionQuery instance using the specified properties.
             * @function create
             * @memberof homeserver.replication.PositionQuery
             * @static
             * @param {homeserver.replication.PositionQuery.$Properties=} [properties] Properties to set
             * @returns {homeserver.replication.PositionQuery} PositionQuery instance
             * @type {{
             *   (properties: homeserver.replication.PositionQuery.$Shape): homeserver.replication.PositionQuery & homeserver.replication.PositionQuery.$Shape;
             *   (properties?: homeserver.replication.PositionQuery.$Properties): homeserver.replication.PositionQuery;
             * }}
             */
            PositionQuery.create = function(properties) {
                return new PositionQuery(properties);
            };

            /**
             * Encodes the specified PositionQuery message. Does not implicitly {@link homeserver.replication.PositionQuery.verify|verify} messages.
             * @function encode
             * @memberof homeserver.replication.PositionQuery
             * @static
             * @param {homeserver.replication.PositionQuery.$Properties} message PositionQuery message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PositionQuery.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream") && message.stream !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.stream);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified PositionQuery message, length delimited. Does not implicitly {@link homeserver.replication.PositionQuery.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.replication.PositionQuery
             * @static
             * @param {homeserver.replication.PositionQuery.$Properties} message PositionQuery message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PositionQuery.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a PositionQuery message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.replication.PositionQuery
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.replication.PositionQuery & homeserver.replication.PositionQuery.$Shape} PositionQuery
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PositionQuery.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.homeserver.replication.PositionQuery();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.stream = value;
                            else
                                delete message.stream;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a PositionQuery message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.replication.PositionQuery
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.replication.PositionQuery & homeserver.replication.PositionQuery.$Shape} PositionQuery
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PositionQuery.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a PositionQuery message.
             * @function verify
             * @memberof homeserver.replication.PositionQuery
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            PositionQuery.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                    if (!$util.isString(message.stream))
                        return "stream: string expected";
                return null;
            };

            /**
             * Creates a PositionQuery message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.replication.PositionQuery
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.replication.PositionQuery} PositionQuery
             */
            PositionQuery.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.replication.PositionQuery)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.replication.PositionQuery: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.replication.PositionQuery();
                if (object.stream != null)
                    if (typeof object.stream !== "string" || object.stream.length)
                        message.stream = $String(object.stream);
                return message;
            };

            /**
             * Creates a plain object from a PositionQuery message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.replication.PositionQuery
             * @static
             * @param {homeserver.replication.PositionQuery} message PositionQuery
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            PositionQuery.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    object.stream = "";
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                    object.stream = message.stream;
                return object;
            };

            /**
             * Converts this PositionQuery to JSON.
             * @function toJSON
             * @memberof homeserver.replication.PositionQuery
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            PositionQuery.prototype.toJSON = function() {
                return PositionQuery.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for PositionQuery
             * @function getTypeUrl
             * @memberof homeserver.replication.PositionQuery
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            PositionQuery.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.replication.PositionQuery";
            };

            return PositionQuery;
        })();

        replication.PositionReply = (function() {

            /**
             * Properties of a PositionReply.
             * @typedef {Object} homeserver.replication.PositionReply.$Properties
             * @property {string|null} [stream] PositionReply stream
             * @property {string|null} [writer] PositionReply writer
             * @property {number|Long|null} [position] PositionReply position
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PositionReply.
             * @memberof homeserver.replication
             * @interface IPositionReply
             * @augments homeserver.replication.PositionReply.$Properties
             * @deprecated Use homeserver.replication.PositionReply.$Properties instead.
             */

            /**
             * Shape of a PositionReply.
             * @typedef {homeserver.replication.PositionReply.$Properties} homeserver.replication.PositionReply.$Shape
             */

            /**
             * Constructs a new PositionReply.
             * @memberof homeserver.replication
             * @classdesc Represents a PositionReply.
             * @constructor
             * @param {homeserver.replication.PositionReply.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PositionReply = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * PositionReply stream.
             * @member {string} stream
             * @memberof homeserver.replication.PositionReply
             * @instance
             */
            PositionReply.prototype.stream = "";

            /**
             * PositionReply writer.
             * @member {string} writer
             * @memberof homeserver.replication.PositionReply
             * @instance
             */
            PositionReply.prototype.writer = "";

            /**
             * PositionReply position.
             * @member {number|Long} position
             * @memberof homeserver.replication.PositionReply
             * @instance
             */
            PositionReply.prototype.position = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new PositionReply instance using the specified properties.
             * @function create
             * @memberof homeserver.replication.PositionReply
             * @static
             * @param {homeserver.replication.PositionReply.$Properties=} [properties] Properties to set
             * @returns {homeserver.replication.PositionReply} PositionReply instance
             * @type {{
             *   (properties: homeserver.replication.PositionReply.$Shape): homeserver.replication.PositionReply & homeserver.replication.PositionReply.$Shape;
             *   (properties?: homeserver.replication.PositionReply.$Properties): homeserver.replication.PositionReply;
             * }}
             */
            PositionReply.create = function(properties) {
                return new PositionReply(properties);
            };

            /**
             * Encodes the specified PositionReply message. Does not implicitly {@link homeserver.replication.PositionReply.verify|verify} messages.
             * @function encode
             * @memberof homeserver.replication.PositionReply
             * @static
             * @param {homeserver.replication.PositionReply.$Properties} message PositionReply message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PositionReply.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream") && message.stream !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.stream);
                if (message.writer != null && $Object.hasOwnProperty.call(message, "writer") && message.writer !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.writer);
                if (message.position != null && $Object.hasOwnProperty.call(message, "position") && (typeof message.position === "object" ? message.position.low || message.position.high : message.position !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).int64(message.position);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified PositionReply message, length delimited. Does not implicitly {@link homeserver.replication.PositionReply.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.replication.PositionReply
             * @static
             * @param {homeserver.replication.PositionReply.$Properties} message PositionReply message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PositionReply.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a PositionReply message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.replication.PositionReply
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.replication.PositionReply & homeserver.replication.PositionReply.$Shape} PositionReply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PositionReply.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.homeserver.replication.PositionReply();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.stream = value;
                            else
                                delete message.stream;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.writer = value;
                            else
                                delete message.writer;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.position = value;
                            else
                                delete message.position;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a PositionReply message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.replication.PositionReply
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.replication.PositionReply & homeserver.replication.PositionReply.$Shape} PositionReply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PositionReply.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a PositionReply message.
             * @function verify
             * @memberof homeserver.replication.PositionReply
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            PositionReply.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                    if (!$util.isString(message.stream))
                        return "stream: string expected";
                if (message.writer != null && $Object.hasOwnProperty.call(message, "writer"))
                    if (!$util.isString(message.writer))
                        return "writer: string expected";
                if (message.position != null && $Object.hasOwnProperty.call(message, "position"))
                    if (!$util.isInteger(message.position) && !(message.position && $util.isInteger(message.position.low) && $util.isInteger(message.position.high)))
                        return "position: integer|Long expected";
                return null;
            };

            /**
             * Creates a PositionReply message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.replication.PositionReply
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.replication.PositionReply} PositionReply
             */
            PositionReply.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.replication.PositionReply)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.replication.PositionReply: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.replication.PositionReply();
                if (object.stream != null)
                    if (typeof object.stream !== "string" || object.stream.length)
                        message.stream = $String(object.stream);
                if (object.writer != null)
                    if (typeof object.writer !== "string" || object.writer.length)
                        message.writer = $String(object.writer);
                if (object.position != null)
                    if (typeof object.position === "object" ? object.position.low || object.position.high : $Number(object.position) !== 0)
                        if ($util.Long)
                            message.position = $util.Long.fromValue(object.position, false);
                        else if (typeof object.position === "string")
                            message.position = $parseInt(object.position, 10);
                        else if (typeof object.position === "number")
                            message.position = object.position;
                        else if (typeof object.position === "object")
                            message.position = new $util.LongBits(object.position.low >>> 0, object.position.high >>> 0).toNumber();
                return message;
            };

            /**
             * Creates a plain object from a PositionReply message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.replication.PositionReply
             * @static
             * @param {homeserver.replication.PositionReply} message PositionReply
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            PositionReply.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.stream = "";
                    object.writer = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.position = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.position = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                    object.stream = message.stream;
                if (message.writer != null && $Object.hasOwnProperty.call(message, "writer"))
                    object.writer = message.writer;
                if (message.position != null && $Object.hasOwnProperty.call(message, "position"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.position = typeof message.position === "number" ? $BigInt(message.position) : $util.Long.fromBits(message.position.low >>> 0, message.position.high >>> 0, false).toBigInt();
                    else if (typeof message.position === "number")
                        object.position = options.longs === $String ? $String(message.position) : message.position;
                    else
                        object.position = options.longs === $String ? $util.Long.prototype.toString.call(message.position) : options.longs === $Number ? new $util.LongBits(message.position.low >>> 0, message.position.high >>> 0).toNumber() : message.position;
                return object;
            };

            /**
             * Converts this PositionReply to JSON.
             * @function toJSON
             * @memberof homeserver.replication.PositionReply
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            PositionReply.prototype.toJSON = function() {
                return PositionReply.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for PositionReply
             * @function getTypeUrl
             * @memberof homeserver.replication.PositionReply
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            PositionReply.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.replication.PositionReply";
            };

            return PositionReply;
        })();

        return replication;
    })();

    return homeserver;
})();

export {
  $root as default
};
