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

    homeserver.cluster = (function() {

        /**
         * Namespace cluster.
         * @memberof homeserver
         * @namespace
         */
        const cluster = {};

        cluster.WriterState = (function() {

            /**
             * Properties of a WriterState.
             * @typedef {Object} homeserver.cluster.WriterState.$Properties
             * @property {string|null} [stream] WriterState stream
             * @property {number|Long|null} [position] WriterState position
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a WriterState.
             * @memberof homeserver.cluster
             * @interface IWriterState
             * @augments homeserver.cluster.WriterState.$Properties
             * @deprecated Use homeserver.cluster.WriterState.$Properties instead.
             */

            /**
             * Shape of a WriterState.
             * @typedef {homeserver.cluster.WriterState.$Properties} homeserver.cluster.WriterState.$Shape
             */

            /**
             * Constructs a new WriterState.
             * @memberof homeserver.cluster
             * @classdesc Represents a WriterState.
             * @constructor
             * @param {homeserver.cluster.WriterState.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const WriterState = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * WriterState stream.
             * @member {string} stream
             * @memberof homeserver.cluster.WriterState
             * @instance
             */
            WriterState.prototype.stream = "";

            /**
             * WriterState position.
             * @member {number|Long} position
             * @memberof homeserver.cluster.WriterState
             * @instance
             */
            WriterState.prototype.position = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new WriterState instance using the specified properties.
             * @function create
             * @memberof homeserver.cluster.WriterState
             * @static
             * @param {homeserver.cluster.WriterState.$Properties=} [properties] Properties to set
             * @returns {homeserver.cluster.WriterState} WriterState instance
             * @type {{
             *   (properties: homeserver.cluster.WriterState.$Shape): homeserver.cluster.WriterState & homeserver.cluster.WriterState.$Shape;
             *   (properties?: homeserver.cluster.WriterState.$Properties): homeserver.cluster.WriterState;
             * }}
             */
            WriterState.create = function(properties) {
                return new WriterState(properties);
            };

            /**
             * Encodes the specified WriterState message. Does not implicitly {@link homeserver.cluster.WriterState.verify|verify} messages.
             * @function encode
             * @memberof homeserver.cluster.WriterState
             * @static
             * @param {homeserver.cluster.WriterState.$Properties} message WriterState message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            WriterState.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream") && message.stream !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.stream);
                if (message.position != null && $Object.hasOwnProperty.call(message, "position") && (typeof message.position === "object" ? message.position.low || message.position.high : message.position !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).int64(message.position);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified WriterState message, length delimited. Does not implicitly {@link homeserver.cluster.WriterState.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.cluster.WriterState
             * @static
             * @param {homeserver.cluster.WriterState.$Properties} message WriterState message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            WriterState.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a WriterState message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.cluster.WriterState
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.cluster.WriterState & homeserver.cluster.WriterState.$Shape} WriterState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            WriterState.decode = function (reader, length, _end, _depth, _target) {
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
                message = _target || new $root.homeserver.cluster.WriterState();
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
             * Decodes a WriterState message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.cluster.WriterState
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.cluster.WriterState & homeserver.cluster.WriterState.$Shape} WriterState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            WriterState.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a WriterState message.
             * @function verify
             * @memberof homeserver.cluster.WriterState
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            WriterState.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                    if (!$util.isString(message.stream))
                        return "stream: string expected";
                if (message.position != null && $Object.hasOwnProperty.call(message, "position"))
                    if (!$util.isInteger(message.position) && !(message.position && $util.isInteger(message.position.low) && $util.isInteger(message.position.high)))
                        return "position: integer|Long expected";
                return null;
            };

            /**
             * Creates a WriterState message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.cluster.WriterState
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.cluster.WriterState} WriterState
             */
            WriterState.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.cluster.WriterState)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.cluster.WriterState: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.cluster.WriterState();
                if (object.stream != null)
                    if (typeof object.stream !== "string" || object.stream.length)
                        message.stream = $String(object.stream);
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
             * Creates a plain object from a WriterState message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.cluster.WriterState
             * @static
             * @param {homeserver.cluster.WriterState} message WriterState
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            WriterState.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.stream = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.position = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.position = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                    object.stream = message.stream;
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
             * Converts this WriterState to JSON.
             * @function toJSON
             * @memberof homeserver.cluster.WriterState
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            WriterState.prototype.toJSON = function() {
                return WriterState.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for WriterState
             * @function getTypeUrl
             * @memberof homeserver.cluster.WriterState
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            WriterState.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.cluster.WriterState";
            };

            return WriterState;
        })();

        cluster.ReaderWriterState = (function() {

            /**
             * Properties of a ReaderWriterState.
             * @typedef {Object} homeserver.cluster.ReaderWriterState.$Properties
             * @property {string|null} [writer] ReaderWriterState writer
             * @property {number|Long|null} [position] ReaderWriterState position
             * @property {number|Long|null} [latest] ReaderWriterState latest
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ReaderWriterState.
             * @memberof homeserver.cluster
             * @interface IReaderWriterState
             * @augments homeserver.cluster.ReaderWriterState.$Properties
             * @deprecated Use homeserver.cluster.ReaderWriterState.$Properties instead.
             */

            /**
             * Shape of a ReaderWriterState.
             * @typedef {homeserver.cluster.ReaderWriterState.$Properties} homeserver.cluster.ReaderWriterState.$Shape
             */

            /**
             * Constructs a new ReaderWriterState.
             * @memberof homeserver.cluster
             * @classdesc Represents a ReaderWriterState.
             * @constructor
             * @param {homeserver.cluster.ReaderWriterState.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ReaderWriterState = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ReaderWriterState writer.
             * @member {string} writer
             * @memberof homeserver.cluster.ReaderWriterState
             * @instance
             */
            ReaderWriterState.prototype.writer = "";

            /**
             * ReaderWriterState position.
             * @member {number|Long} position
             * @memberof homeserver.cluster.ReaderWriterState
             * @instance
             */
            ReaderWriterState.prototype.position = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * ReaderWriterState latest.
             * @member {number|Long} latest
             * @memberof homeserver.cluster.ReaderWriterState
             * @instance
             */
            ReaderWriterState.prototype.latest = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new ReaderWriterState instance using the specified properties.
             * @function create
             * @memberof homeserver.cluster.ReaderWriterState
             * @static
             * @param {homeserver.cluster.ReaderWriterState.$Properties=} [properties] Properties to set
             * @returns {homeserver.cluster.ReaderWriterState} ReaderWriterState instance
             * @type {{
             *   (properties: homeserver.cluster.ReaderWriterState.$Shape): homeserver.cluster.ReaderWriterState & homeserver.cluster.ReaderWriterState.$Shape;
             *   (properties?: homeserver.cluster.ReaderWriterState.$Properties): homeserver.cluster.ReaderWriterState;
             * }}
             */
            ReaderWriterState.create = function(properties) {
                return new ReaderWriterState(properties);
            };

            /**
             * Encodes the specified ReaderWriterState message. Does not implicitly {@link homeserver.cluster.ReaderWriterState.verify|verify} messages.
             * @function encode
             * @memberof homeserver.cluster.ReaderWriterState
             * @static
             * @param {homeserver.cluster.ReaderWriterState.$Properties} message ReaderWriterState message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ReaderWriterState.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.writer != null && $Object.hasOwnProperty.call(message, "writer") && message.writer !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.writer);
                if (message.position != null && $Object.hasOwnProperty.call(message, "position") && (typeof message.position === "object" ? message.position.low || message.position.high : message.position !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).int64(message.position);
                if (message.latest != null && $Object.hasOwnProperty.call(message, "latest") && (typeof message.latest === "object" ? message.latest.low || message.latest.high : message.latest !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).int64(message.latest);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ReaderWriterState message, length delimited. Does not implicitly {@link homeserver.cluster.ReaderWriterState.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.cluster.ReaderWriterState
             * @static
             * @param {homeserver.cluster.ReaderWriterState.$Properties} message ReaderWriterState message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ReaderWriterState.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ReaderWriterState message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.cluster.ReaderWriterState
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.cluster.ReaderWriterState & homeserver.cluster.ReaderWriterState.$Shape} ReaderWriterState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ReaderWriterState.decode = function (reader, length, _end, _depth, _target) {
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
                message = _target || new $root.homeserver.cluster.ReaderWriterState();
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
                                message.writer = value;
                            else
                                delete message.writer;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.position = value;
                            else
                                delete message.position;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.latest = value;
                            else
                                delete message.latest;
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
             * Decodes a ReaderWriterState message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.cluster.ReaderWriterState
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.cluster.ReaderWriterState & homeserver.cluster.ReaderWriterState.$Shape} ReaderWriterState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ReaderWriterState.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a ReaderWriterState message.
             * @function verify
             * @memberof homeserver.cluster.ReaderWriterState
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ReaderWriterState.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.writer != null && $Object.hasOwnProperty.call(message, "writer"))
                    if (!$util.isString(message.writer))
                        return "writer: string expected";
                if (message.position != null && $Object.hasOwnProperty.call(message, "position"))
                    if (!$util.isInteger(message.position) && !(message.position && $util.isInteger(message.position.low) && $util.isInteger(message.position.high)))
                        return "position: integer|Long expected";
                if (message.latest != null && $Object.hasOwnProperty.call(message, "latest"))
                    if (!$util.isInteger(message.latest) && !(message.latest && $util.isInteger(message.latest.low) && $util.isInteger(message.latest.high)))
                        return "latest: integer|Long expected";
                return null;
            };

            /**
             * Creates a ReaderWriterState message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.cluster.ReaderWriterState
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.cluster.ReaderWriterState} ReaderWriterState
             */
            ReaderWriterState.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.cluster.ReaderWriterState)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.cluster.ReaderWriterState: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.cluster.ReaderWriterState();
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
                if (object.latest != null)
                    if (typeof object.latest === "object" ? object.latest.low || object.latest.high : $Number(object.latest) !== 0)
                        if ($util.Long)
                            message.latest = $util.Long.fromValue(object.latest, false);
                        else if (typeof object.latest === "string")
                            message.latest = $parseInt(object.latest, 10);
                        else if (typeof object.latest === "number")
                            message.latest = object.latest;
                        else if (typeof object.latest === "object")
                            message.latest = new $util.LongBits(object.latest.low >>> 0, object.latest.high >>> 0).toNumber();
                return message;
            };

            /**
             * Creates a plain object from a ReaderWriterState message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.cluster.ReaderWriterState
             * @static
             * @param {homeserver.cluster.ReaderWriterState} message ReaderWriterState
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ReaderWriterState.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.writer = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.position = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.position = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.latest = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.latest = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (message.writer != null && $Object.hasOwnProperty.call(message, "writer"))
                    object.writer = message.writer;
                if (message.position != null && $Object.hasOwnProperty.call(message, "position"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.position = typeof message.position === "number" ? $BigInt(message.position) : $util.Long.fromBits(message.position.low >>> 0, message.position.high >>> 0, false).toBigInt();
                    else if (typeof message.position === "number")
                        object.position = options.longs === $String ? $String(message.position) : message.position;
                    else
                        object.position = options.longs === $String ? $util.Long.prototype.toString.call(message.position) : options.longs === $Number ? new $util.LongBits(message.position.low >>> 0, message.position.high >>> 0).toNumber() : message.position;
                if (message.latest != null && $Object.hasOwnProperty.call(message, "latest"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.latest = typeof message.latest === "number" ? $BigInt(message.latest) : $util.Long.fromBits(message.latest.low >>> 0, message.latest.high >>> 0, false).toBigInt();
                    else if (typeof message.latest === "number")
                        object.latest = options.longs === $String ? $String(message.latest) : message.latest;
                    else
                        object.latest = options.longs === $String ? $util.Long.prototype.toString.call(message.latest) : options.longs === $Number ? new $util.LongBits(message.latest.low >>> 0, message.latest.high >>> 0).toNumber() : message.latest;
                return object;
            };

            /**
             * Converts this ReaderWriterState to JSON.
             * @function toJSON
             * @memberof homeserver.cluster.ReaderWriterState
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ReaderWriterState.prototype.toJSON = function() {
                return ReaderWriterState.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ReaderWriterState
             * @function getTypeUrl
             * @memberof homeserver.cluster.ReaderWriterState
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ReaderWriterState.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.cluster.ReaderWriterState";
            };

            return ReaderWriterState;
        })();

        cluster.ReaderState = (function() {

            /**
             * Properties of a ReaderState.
             * @typedef {Object} homeserver.cluster.ReaderState.$Properties
             * @property {string|null} [stream] ReaderState stream
             * @property {boolean|null} [ready] ReaderState ready
             * @property {Array.<homeserver.cluster.ReaderWriterState.$Properties>|null} [writers] ReaderState writers
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ReaderState.
             * @memberof homeserver.cluster
             * @interface IReaderState
             * @augments homeserver.cluster.ReaderState.$Properties
             * @deprecated Use homeserver.cluster.ReaderState.$Properties instead.
             */

            /**
             * Shape of a ReaderState.
             * @typedef {homeserver.cluster.ReaderState.$Properties} homeserver.cluster.ReaderState.$Shape
             */

            /**
             * Constructs a new ReaderState.
             * @memberof homeserver.cluster
             * @classdesc Represents a ReaderState.
             * @constructor
             * @param {homeserver.cluster.ReaderState.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ReaderState = function (properties) {
                this.writers = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ReaderState stream.
             * @member {string} stream
             * @memberof homeserver.cluster.ReaderState
             * @instance
             */
            ReaderState.prototype.stream = "";

            /**
             * ReaderState ready.
             * @member {boolean} ready
             * @memberof homeserver.cluster.ReaderState
             * @instance
             */
            ReaderState.prototype.ready = false;

            /**
             * ReaderState writers.
             * @member {Array.<homeserver.cluster.ReaderWriterState.$Properties>} writers
             * @memberof homeserver.cluster.ReaderState
             * @instance
             */
            ReaderState.prototype.writers = $util.emptyArray;

            /**
             * Creates a new ReaderState instance using the specified properties.
             * @function create
             * @memberof homeserver.cluster.ReaderState
             * @static
             * @param {homeserver.cluster.ReaderState.$Properties=} [properties] Properties to set
             * @returns {homeserver.cluster.ReaderState} ReaderState instance
             * @type {{
             *   (properties: homeserver.cluster.ReaderState.$Shape): homeserver.cluster.ReaderState & homeserver.cluster.ReaderState.$Shape;
             *   (properties?: homeserver.cluster.ReaderState.$Properties): homeserver.cluster.ReaderState;
             * }}
             */
            ReaderState.create = function(properties) {
                return new ReaderState(properties);
            };

            /**
             * Encodes the specified ReaderState message. Does not implicitly {@link homeserver.cluster.ReaderState.verify|verify} messages.
             * @function encode
             * @memberof homeserver.cluster.ReaderState
             * @static
             * @param {homeserver.cluster.ReaderState.$Properties} message ReaderState message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ReaderState.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream") && message.stream !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.stream);
                if (message.ready != null && $Object.hasOwnProperty.call(message, "ready") && message.ready !== false)
                    writer.uint32(/* id 2, wireType 0 =*/16).bool(message.ready);
                if (message.writers != null && message.writers.length)
                    for (let i = 0; i < message.writers.length; ++i)
                        $root.homeserver.cluster.ReaderWriterState.encode(message.writers[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ReaderState message, length delimited. Does not implicitly {@link homeserver.cluster.ReaderState.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.cluster.ReaderState
             * @static
             * @param {homeserver.cluster.ReaderState.$Properties} message ReaderState message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ReaderState.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ReaderState message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.cluster.ReaderState
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.cluster.ReaderState & homeserver.cluster.ReaderState.$Shape} ReaderState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ReaderState.decode = function (reader, length, _end, _depth, _target) {
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
                message = _target || new $root.homeserver.cluster.ReaderState();
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
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.ready = value;
                            else
                                delete message.ready;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.writers && message.writers.length))
                                message.writers = [];
                            message.writers.push($root.homeserver.cluster.ReaderWriterState.decode(reader, reader.size(), $undefined, _depth + 1));
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
             * Decodes a ReaderState message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.cluster.ReaderState
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.cluster.ReaderState & homeserver.cluster.ReaderState.$Shape} ReaderState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ReaderState.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a ReaderState message.
             * @function verify
             * @memberof homeserver.cluster.ReaderState
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ReaderState.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                    if (!$util.isString(message.stream))
                        return "stream: string expected";
                if (message.ready != null && $Object.hasOwnProperty.call(message, "ready"))
                    if (typeof message.ready !== "boolean")
                        return "ready: boolean expected";
                if (message.writers != null && $Object.hasOwnProperty.call(message, "writers")) {
                    if (!$Array.isArray(message.writers))
                        return "writers: array expected";
                    for (let i = 0; i < message.writers.length; ++i) {
                        let error = $root.homeserver.cluster.ReaderWriterState.verify(message.writers[i], _depth + 1);
                        if (error)
                            return "writers." + error;
                    }
                }
                return null;
            };

            /**
             * Creates a ReaderState message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.cluster.ReaderState
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.cluster.ReaderState} ReaderState
             */
            ReaderState.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.cluster.ReaderState)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.cluster.ReaderState: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.cluster.ReaderState();
                if (object.stream != null)
                    if (typeof object.stream !== "string" || object.stream.length)
                        message.stream = $String(object.stream);
                if (object.ready != null)
                    if (object.ready)
                        message.ready = $Boolean(object.ready);
                if (object.writers) {
                    if (!$Array.isArray(object.writers))
                        throw $TypeError(".homeserver.cluster.ReaderState.writers: array expected");
                    message.writers = $Array(object.writers.length);
                    for (let i = 0; i < object.writers.length; ++i) {
                        if (!$util.isObject(object.writers[i]))
                            throw $TypeError(".homeserver.cluster.ReaderState.writers: object expected");
                        message.writers[i] = $root.homeserver.cluster.ReaderWriterState.fromObject(object.writers[i], _depth + 1);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from a ReaderState message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.cluster.ReaderState
             * @static
             * @param {homeserver.cluster.ReaderState} message ReaderState
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ReaderState.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.writers = [];
                if (options.defaults) {
                    object.stream = "";
                    object.ready = false;
                }
                if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                    object.stream = message.stream;
                if (message.ready != null && $Object.hasOwnProperty.call(message, "ready"))
                    object.ready = message.ready;
                if (message.writers && message.writers.length) {
                    object.writers = $Array(message.writers.length);
                    for (let j = 0; j < message.writers.length; ++j)
                        object.writers[j] = $root.homeserver.cluster.ReaderWriterState.toObject(message.writers[j], options, _depth + 1);
                }
                return object;
            };

            /**
             * Converts this ReaderState to JSON.
             * @function toJSON
             * @memberof homeserver.cluster.ReaderState
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ReaderState.prototype.toJSON = function() {
                return ReaderState.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ReaderState
             * @function getTypeUrl
             * @memberof homeserver.cluster.ReaderState
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ReaderState.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.cluster.ReaderState";
            };

            return ReaderState;
        })();

        cluster.ActorKindState = (function() {

            /**
             * Properties of an ActorKindState.
             * @typedef {Object} homeserver.cluster.ActorKindState.$Properties
             * @property {string|null} [kind] ActorKindState kind
             * @property {number|Long|null} [actors] ActorKindState actors
             * @property {number|Long|null} [queued] ActorKindState queued
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an ActorKindState.
             * @memberof homeserver.cluster
             * @interface IActorKindState
             * @augments homeserver.cluster.ActorKindState.$Properties
             * @deprecated Use homeserver.cluster.ActorKindState.$Properties instead.
             */

            /**
             * Shape of an ActorKindState.
             * @typedef {homeserver.cluster.ActorKindState.$Properties} homeserver.cluster.ActorKindState.$Shape
             */

            /**
             * Constructs a new ActorKindState.
             * @memberof homeserver.cluster
             * @classdesc Represents an ActorKindState.
             * @constructor
             * @param {homeserver.cluster.ActorKindState.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ActorKindState = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ActorKindState kind.
             * @member {string} kind
             * @memberof homeserver.cluster.ActorKindState
             * @instance
             */
            ActorKindState.prototype.kind = "";

            /**
             * ActorKindState actors.
             * @member {number|Long} actors
             * @memberof homeserver.cluster.ActorKindState
             * @instance
             */
            ActorKindState.prototype.actors = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * ActorKindState queued.
             * @member {number|Long} queued
             * @memberof homeserver.cluster.ActorKindState
             * @instance
             */
            ActorKindState.prototype.queued = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new ActorKindState instance using the specified properties.
             * @function create
             * @memberof homeserver.cluster.ActorKindState
             * @static
             * @param {homeserver.cluster.ActorKindState.$Properties=} [properties] Properties to set
             * @returns {homeserver.cluster.ActorKindState} ActorKindState instance
             * @type {{
             *   (properties: homeserver.cluster.ActorKindState.$Shape): homeserver.cluster.ActorKindState & homeserver.cluster.ActorKindState.$Shape;
             *   (properties?: homeserver.cluster.ActorKindState.$Properties): homeserver.cluster.ActorKindState;
             * }}
             */
            ActorKindState.create = function(properties) {
                return new ActorKindState(properties);
            };

            /**
             * Encodes the specified ActorKindState message. Does not implicitly {@link homeserver.cluster.ActorKindState.verify|verify} messages.
             * @function encode
             * @memberof homeserver.cluster.ActorKindState
             * @static
             * @param {homeserver.cluster.ActorKindState.$Properties} message ActorKindState message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ActorKindState.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.kind);
                if (message.actors != null && $Object.hasOwnProperty.call(message, "actors") && (typeof message.actors === "object" ? message.actors.low || message.actors.high : message.actors !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).int64(message.actors);
                if (message.queued != null && $Object.hasOwnProperty.call(message, "queued") && (typeof message.queued === "object" ? message.queued.low || message.queued.high : message.queued !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).int64(message.queued);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ActorKindState message, length delimited. Does not implicitly {@link homeserver.cluster.ActorKindState.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.cluster.ActorKindState
             * @static
             * @param {homeserver.cluster.ActorKindState.$Properties} message ActorKindState message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ActorKindState.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an ActorKindState message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.cluster.ActorKindState
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.cluster.ActorKindState & homeserver.cluster.ActorKindState.$Shape} ActorKindState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ActorKindState.decode = function (reader, length, _end, _depth, _target) {
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
                message = _target || new $root.homeserver.cluster.ActorKindState();
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
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.actors = value;
                            else
                                delete message.actors;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.queued = value;
                            else
                                delete message.queued;
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
             * Decodes an ActorKindState message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.cluster.ActorKindState
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.cluster.ActorKindState & homeserver.cluster.ActorKindState.$Shape} ActorKindState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ActorKindState.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies an ActorKindState message.
             * @function verify
             * @memberof homeserver.cluster.ActorKindState
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ActorKindState.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    if (!$util.isString(message.kind))
                        return "kind: string expected";
                if (message.actors != null && $Object.hasOwnProperty.call(message, "actors"))
                    if (!$util.isInteger(message.actors) && !(message.actors && $util.isInteger(message.actors.low) && $util.isInteger(message.actors.high)))
                        return "actors: integer|Long expected";
                if (message.queued != null && $Object.hasOwnProperty.call(message, "queued"))
                    if (!$util.isInteger(message.queued) && !(message.queued && $util.isInteger(message.queued.low) && $util.isInteger(message.queued.high)))
                        return "queued: integer|Long expected";
                return null;
            };

            /**
             * Creates an ActorKindState message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.cluster.ActorKindState
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.cluster.ActorKindState} ActorKindState
             */
            ActorKindState.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.cluster.ActorKindState)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.cluster.ActorKindState: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.cluster.ActorKindState();
                if (object.kind != null)
                    if (typeof object.kind !== "string" || object.kind.length)
                        message.kind = $String(object.kind);
                if (object.actors != null)
                    if (typeof object.actors === "object" ? object.actors.low || object.actors.high : $Number(object.actors) !== 0)
                        if ($util.Long)
                            message.actors = $util.Long.fromValue(object.actors, false);
                        else if (typeof object.actors === "string")
                            message.actors = $parseInt(object.actors, 10);
                        else if (typeof object.actors === "number")
                            message.actors = object.actors;
                        else if (typeof object.actors === "object")
                            message.actors = new $util.LongBits(object.actors.low >>> 0, object.actors.high >>> 0).toNumber();
                if (object.queued != null)
                    if (typeof object.queued === "object" ? object.queued.low || object.queued.high : $Number(object.queued) !== 0)
                        if ($util.Long)
                            message.queued = $util.Long.fromValue(object.queued, false);
                        else if (typeof object.queued === "string")
                            message.queued = $parseInt(object.queued, 10);
                        else if (typeof object.queued === "number")
                            message.queued = object.queued;
                        else if (typeof object.queued === "object")
                            message.queued = new $util.LongBits(object.queued.low >>> 0, object.queued.high >>> 0).toNumber();
                return message;
            };

            /**
             * Creates a plain object from an ActorKindState message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.cluster.ActorKindState
             * @static
             * @param {homeserver.cluster.ActorKindState} message ActorKindState
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ActorKindState.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.kind = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.actors = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.actors = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.queued = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.queued = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    object.kind = message.kind;
                if (message.actors != null && $Object.hasOwnProperty.call(message, "actors"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.actors = typeof message.actors === "number" ? $BigInt(message.actors) : $util.Long.fromBits(message.actors.low >>> 0, message.actors.high >>> 0, false).toBigInt();
                    else if (typeof message.actors === "number")
                        object.actors = options.longs === $String ? $String(message.actors) : message.actors;
                    else
                        object.actors = options.longs === $String ? $util.Long.prototype.toString.call(message.actors) : options.longs === $Number ? new $util.LongBits(message.actors.low >>> 0, message.actors.high >>> 0).toNumber() : message.actors;
                if (message.queued != null && $Object.hasOwnProperty.call(message, "queued"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.queued = typeof message.queued === "number" ? $BigInt(message.queued) : $util.Long.fromBits(message.queued.low >>> 0, message.queued.high >>> 0, false).toBigInt();
                    else if (typeof message.queued === "number")
                        object.queued = options.longs === $String ? $String(message.queued) : message.queued;
                    else
                        object.queued = options.longs === $String ? $util.Long.prototype.toString.call(message.queued) : options.longs === $Number ? new $util.LongBits(message.queued.low >>> 0, message.queued.high >>> 0).toNumber() : message.queued;
                return object;
            };

            /**
             * Converts this ActorKindState to JSON.
             * @function toJSON
             * @memberof homeserver.cluster.ActorKindState
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ActorKindState.prototype.toJSON = function() {
                return ActorKindState.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ActorKindState
             * @function getTypeUrl
             * @memberof homeserver.cluster.ActorKindState
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ActorKindState.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.cluster.ActorKindState";
            };

            return ActorKindState;
        })();

        cluster.ProcessHeartbeat = (function() {

            /**
             * Properties of a ProcessHeartbeat.
             * @typedef {Object} homeserver.cluster.ProcessHeartbeat.$Properties
             * @property {string|null} [workerName] ProcessHeartbeat workerName
             * @property {string|null} [workerApp] ProcessHeartbeat workerApp
             * @property {string|null} [incarnation] ProcessHeartbeat incarnation
             * @property {Array.<string>|null} [roles] ProcessHeartbeat roles
             * @property {string|null} [version] ProcessHeartbeat version
             * @property {number|Long|null} [startedAtMs] ProcessHeartbeat startedAtMs
             * @property {number|Long|null} [sentAtMs] ProcessHeartbeat sentAtMs
             * @property {number|Long|null} [intervalMs] ProcessHeartbeat intervalMs
             * @property {Array.<homeserver.cluster.WriterState.$Properties>|null} [streamWriters] ProcessHeartbeat streamWriters
             * @property {Array.<homeserver.cluster.ReaderState.$Properties>|null} [streamReaders] ProcessHeartbeat streamReaders
             * @property {Array.<homeserver.cluster.ActorKindState.$Properties>|null} [actorKinds] ProcessHeartbeat actorKinds
             * @property {boolean|null} [leaving] ProcessHeartbeat leaving
             * @property {boolean|null} [hello] ProcessHeartbeat hello
             * @property {Array.<string>|null} [hostedKinds] ProcessHeartbeat hostedKinds
             * @property {number|Long|null} [reportVersion] ProcessHeartbeat reportVersion
             * @property {boolean|null} [beat] ProcessHeartbeat beat
             * @property {Array.<string>|null} [wanted] ProcessHeartbeat wanted
             * @property {number|Long|null} [ageMs] ProcessHeartbeat ageMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ProcessHeartbeat.
             * @memberof homeserver.cluster
             * @interface IProcessHeartbeat
             * @augments homeserver.cluster.ProcessHeartbeat.$Properties
             * @deprecated Use homeserver.cluster.ProcessHeartbeat.$Properties instead.
             */

            /**
             * Shape of a ProcessHeartbeat.
             * @typedef {homeserver.cluster.ProcessHeartbeat.$Properties} homeserver.cluster.ProcessHeartbeat.$Shape
             */

            /**
             * Constructs a new ProcessHeartbeat.
             * @memberof homeserver.cluster
             * @classdesc Represents a ProcessHeartbeat.
             * @constructor
             * @param {homeserver.cluster.ProcessHeartbeat.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ProcessHeartbeat = function (properties) {
                this.roles = [];
                this.streamWriters = [];
                this.streamReaders = [];
                this.actorKinds = [];
                this.hostedKinds = [];
                this.wanted = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ProcessHeartbeat workerName.
             * @member {string} workerName
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.workerName = "";

            /**
             * ProcessHeartbeat workerApp.
             * @member {string} workerApp
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.workerApp = "";

            /**
             * ProcessHeartbeat incarnation.
             * @member {string} incarnation
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.incarnation = "";

            /**
             * ProcessHeartbeat roles.
             * @member {Array.<string>} roles
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.roles = $util.emptyArray;

            /**
             * ProcessHeartbeat version.
             * @member {string} version
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.version = "";

            /**
             * ProcessHeartbeat startedAtMs.
             * @member {number|Long} startedAtMs
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.startedAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * ProcessHeartbeat sentAtMs.
             * @member {number|Long} sentAtMs
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.sentAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * ProcessHeartbeat intervalMs.
             * @member {number|Long} intervalMs
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.intervalMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * ProcessHeartbeat streamWriters.
             * @member {Array.<homeserver.cluster.WriterState.$Properties>} streamWriters
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.streamWriters = $util.emptyArray;

            /**
             * ProcessHeartbeat streamReaders.
             * @member {Array.<homeserver.cluster.ReaderState.$Properties>} streamReaders
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.streamReaders = $util.emptyArray;

            /**
             * ProcessHeartbeat actorKinds.
             * @member {Array.<homeserver.cluster.ActorKindState.$Properties>} actorKinds
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.actorKinds = $util.emptyArray;

            /**
             * ProcessHeartbeat leaving.
             * @member {boolean} leaving
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.leaving = false;

            /**
             * ProcessHeartbeat hello.
             * @member {boolean} hello
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.hello = false;

            /**
             * ProcessHeartbeat hostedKinds.
             * @member {Array.<string>} hostedKinds
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.hostedKinds = $util.emptyArray;

            /**
             * ProcessHeartbeat reportVersion.
             * @member {number|Long} reportVersion
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.reportVersion = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ProcessHeartbeat beat.
             * @member {boolean} beat
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.beat = false;

            /**
             * ProcessHeartbeat wanted.
             * @member {Array.<string>} wanted
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.wanted = $util.emptyArray;

            /**
             * ProcessHeartbeat ageMs.
             * @member {number|Long} ageMs
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             */
            ProcessHeartbeat.prototype.ageMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new ProcessHeartbeat instance using the specified properties.
             * @function create
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @static
             * @param {homeserver.cluster.ProcessHeartbeat.$Properties=} [properties] Properties to set
             * @returns {homeserver.cluster.ProcessHeartbeat} ProcessHeartbeat instance
             * @type {{
             *   (properties: homeserver.cluster.ProcessHeartbeat.$Shape): homeserver.cluster.ProcessHeartbeat & homeserver.cluster.ProcessHeartbeat.$Shape;
             *   (properties?: homeserver.cluster.ProcessHeartbeat.$Properties): homeserver.cluster.ProcessHeartbeat;
             * }}
             */
            ProcessHeartbeat.create = function(properties) {
                return new ProcessHeartbeat(properties);
            };

            /**
             * Encodes the specified ProcessHeartbeat message. Does not implicitly {@link homeserver.cluster.ProcessHeartbeat.verify|verify} messages.
             * @function encode
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @static
             * @param {homeserver.cluster.ProcessHeartbeat.$Properties} message ProcessHeartbeat message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ProcessHeartbeat.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.workerName != null && $Object.hasOwnProperty.call(message, "workerName") && message.workerName !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.workerName);
                if (message.workerApp != null && $Object.hasOwnProperty.call(message, "workerApp") && message.workerApp !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.workerApp);
                if (message.incarnation != null && $Object.hasOwnProperty.call(message, "incarnation") && message.incarnation !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.incarnation);
                if (message.roles != null && message.roles.length)
                    for (let i = 0; i < message.roles.length; ++i)
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.roles[i]);
                if (message.version != null && $Object.hasOwnProperty.call(message, "version") && message.version !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.version);
                if (message.startedAtMs != null && $Object.hasOwnProperty.call(message, "startedAtMs") && (typeof message.startedAtMs === "object" ? message.startedAtMs.low || message.startedAtMs.high : message.startedAtMs !== 0))
                    writer.uint32(/* id 6, wireType 0 =*/48).int64(message.startedAtMs);
                if (message.sentAtMs != null && $Object.hasOwnProperty.call(message, "sentAtMs") && (typeof message.sentAtMs === "object" ? message.sentAtMs.low || message.sentAtMs.high : message.sentAtMs !== 0))
                    writer.uint32(/* id 7, wireType 0 =*/56).int64(message.sentAtMs);
                if (message.intervalMs != null && $Object.hasOwnProperty.call(message, "intervalMs") && (typeof message.intervalMs === "object" ? message.intervalMs.low || message.intervalMs.high : message.intervalMs !== 0))
                    writer.uint32(/* id 8, wireType 0 =*/64).int64(message.intervalMs);
                if (message.streamWriters != null && message.streamWriters.length)
                    for (let i = 0; i < message.streamWriters.length; ++i)
                        $root.homeserver.cluster.WriterState.encode(message.streamWriters[i], writer.uint32(/* id 9, wireType 2 =*/74).fork(), _depth + 1).ldelim();
                if (message.streamReaders != null && message.streamReaders.length)
                    for (let i = 0; i < message.streamReaders.length; ++i)
                        $root.homeserver.cluster.ReaderState.encode(message.streamReaders[i], writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                if (message.actorKinds != null && message.actorKinds.length)
                    for (let i = 0; i < message.actorKinds.length; ++i)
                        $root.homeserver.cluster.ActorKindState.encode(message.actorKinds[i], writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                if (message.leaving != null && $Object.hasOwnProperty.call(message, "leaving") && message.leaving !== false)
                    writer.uint32(/* id 12, wireType 0 =*/96).bool(message.leaving);
                if (message.hello != null && $Object.hasOwnProperty.call(message, "hello") && message.hello !== false)
                    writer.uint32(/* id 13, wireType 0 =*/104).bool(message.hello);
                if (message.hostedKinds != null && message.hostedKinds.length)
                    for (let i = 0; i < message.hostedKinds.length; ++i)
                        writer.uint32(/* id 14, wireType 2 =*/114).string(message.hostedKinds[i]);
                if (message.reportVersion != null && $Object.hasOwnProperty.call(message, "reportVersion") && (typeof message.reportVersion === "object" ? message.reportVersion.low || message.reportVersion.high : message.reportVersion !== 0))
                    writer.uint32(/* id 15, wireType 0 =*/120).uint64(message.reportVersion);
                if (message.beat != null && $Object.hasOwnProperty.call(message, "beat") && message.beat !== false)
                    writer.uint32(/* id 16, wireType 0 =*/128).bool(message.beat);
                if (message.wanted != null && message.wanted.length)
                    for (let i = 0; i < message.wanted.length; ++i)
                        writer.uint32(/* id 17, wireType 2 =*/138).string(message.wanted[i]);
                if (message.ageMs != null && $Object.hasOwnProperty.call(message, "ageMs") && (typeof message.ageMs === "object" ? message.ageMs.low || message.ageMs.high : message.ageMs !== 0))
                    writer.uint32(/* id 18, wireType 0 =*/144).int64(message.ageMs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ProcessHeartbeat message, length delimited. Does not implicitly {@link homeserver.cluster.ProcessHeartbeat.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @static
             * @param {homeserver.cluster.ProcessHeartbeat.$Properties} message ProcessHeartbeat message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ProcessHeartbeat.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ProcessHeartbeat message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.cluster.ProcessHeartbeat & homeserver.cluster.ProcessHeartbeat.$Shape} ProcessHeartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ProcessHeartbeat.decode = function (reader, length, _end, _depth, _target) {
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
                message = _target || new $root.homeserver.cluster.ProcessHeartbeat();
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
                                message.workerName = value;
                            else
                                delete message.workerName;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.workerApp = value;
                            else
                                delete message.workerApp;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.incarnation = value;
                            else
                                delete message.incarnation;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if (!(message.roles && message.roles.length))
                                message.roles = [];
                            message.roles.push(reader.stringVerify());
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.version = value;
                            else
                                delete message.version;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.startedAtMs = value;
                            else
                                delete message.startedAtMs;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.sentAtMs = value;
                            else
                                delete message.sentAtMs;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.intervalMs = value;
                            else
                                delete message.intervalMs;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 2)
                                break;
                            if (!(message.streamWriters && message.streamWriters.length))
                                message.streamWriters = [];
                            message.streamWriters.push($root.homeserver.cluster.WriterState.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            if (!(message.streamReaders && message.streamReaders.length))
                                message.streamReaders = [];
                            message.streamReaders.push($root.homeserver.cluster.ReaderState.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 11: {
                            if (wireType !== 2)
                                break;
                            if (!(message.actorKinds && message.actorKinds.length))
                                message.actorKinds = [];
                            message.actorKinds.push($root.homeserver.cluster.ActorKindState.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 12: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.leaving = value;
                            else
                                delete message.leaving;
                            continue;
                        }
                    case 13: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.hello = value;
                            else
                                delete message.hello;
                            continue;
                        }
                    case 14: {
                            if (wireType !== 2)
                                break;
                            if (!(message.hostedKinds && message.hostedKinds.length))
                                message.hostedKinds = [];
                            message.hostedKinds.push(reader.stringVerify());
                            continue;
                        }
                    case 15: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.reportVersion = value;
                            else
                                delete message.reportVersion;
                            continue;
                        }
                    case 16: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.beat = value;
                            else
                                delete message.beat;
                            continue;
                        }
                    case 17: {
                            if (wireType !== 2)
                                break;
                            if (!(message.wanted && message.wanted.length))
                                message.wanted = [];
                            message.wanted.push(reader.stringVerify());
                            continue;
                        }
                    case 18: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.ageMs = value;
                            else
                                delete message.ageMs;
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
             * Decodes a ProcessHeartbeat message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.cluster.ProcessHeartbeat & homeserver.cluster.ProcessHeartbeat.$Shape} ProcessHeartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ProcessHeartbeat.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a ProcessHeartbeat message.
             * @function verify
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ProcessHeartbeat.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.workerName != null && $Object.hasOwnProperty.call(message, "workerName"))
                    if (!$util.isString(message.workerName))
                        return "workerName: string expected";
                if (message.workerApp != null && $Object.hasOwnProperty.call(message, "workerApp"))
                    if (!$util.isString(message.workerApp))
                        return "workerApp: string expected";
                if (message.incarnation != null && $Object.hasOwnProperty.call(message, "incarnation"))
                    if (!$util.isString(message.incarnation))
                        return "incarnation: string expected";
                if (message.roles != null && $Object.hasOwnProperty.call(message, "roles")) {
                    if (!$Array.isArray(message.roles))
                        return "roles: array expected";
                    for (let i = 0; i < message.roles.length; ++i)
                        if (!$util.isString(message.roles[i]))
                            return "roles: string[] expected";
                }
                if (message.version != null && $Object.hasOwnProperty.call(message, "version"))
                    if (!$util.isString(message.version))
                        return "version: string expected";
                if (message.startedAtMs != null && $Object.hasOwnProperty.call(message, "startedAtMs"))
                    if (!$util.isInteger(message.startedAtMs) && !(message.startedAtMs && $util.isInteger(message.startedAtMs.low) && $util.isInteger(message.startedAtMs.high)))
                        return "startedAtMs: integer|Long expected";
                if (message.sentAtMs != null && $Object.hasOwnProperty.call(message, "sentAtMs"))
                    if (!$util.isInteger(message.sentAtMs) && !(message.sentAtMs && $util.isInteger(message.sentAtMs.low) && $util.isInteger(message.sentAtMs.high)))
                        return "sentAtMs: integer|Long expected";
                if (message.intervalMs != null && $Object.hasOwnProperty.call(message, "intervalMs"))
                    if (!$util.isInteger(message.intervalMs) && !(message.intervalMs && $util.isInteger(message.intervalMs.low) && $util.isInteger(message.intervalMs.high)))
                        return "intervalMs: integer|Long expected";
                if (message.streamWriters != null && $Object.hasOwnProperty.call(message, "streamWriters")) {
                    if (!$Array.isArray(message.streamWriters))
                        return "streamWriters: array expected";
                    for (let i = 0; i < message.streamWriters.length; ++i) {
                        let error = $root.homeserver.cluster.WriterState.verify(message.streamWriters[i], _depth + 1);
                        if (error)
                            return "streamWriters." + error;
                    }
                }
                if (message.streamReaders != null && $Object.hasOwnProperty.call(message, "streamReaders")) {
                    if (!$Array.isArray(message.streamReaders))
                        return "streamReaders: array expected";
                    for (let i = 0; i < message.streamReaders.length; ++i) {
                        let error = $root.homeserver.cluster.ReaderState.verify(message.streamReaders[i], _depth + 1);
                        if (error)
                            return "streamReaders." + error;
                    }
                }
                if (message.actorKinds != null && $Object.hasOwnProperty.call(message, "actorKinds")) {
                    if (!$Array.isArray(message.actorKinds))
                        return "actorKinds: array expected";
                    for (let i = 0; i < message.actorKinds.length; ++i) {
                        let error = $root.homeserver.cluster.ActorKindState.verify(message.actorKinds[i], _depth + 1);
                        if (error)
                            return "actorKinds." + error;
                    }
                }
                if (message.leaving != null && $Object.hasOwnProperty.call(message, "leaving"))
                    if (typeof message.leaving !== "boolean")
                        return "leaving: boolean expected";
                if (message.hello != null && $Object.hasOwnProperty.call(message, "hello"))
                    if (typeof message.hello !== "boolean")
                        return "hello: boolean expected";
                if (message.hostedKinds != null && $Object.hasOwnProperty.call(message, "hostedKinds")) {
                    if (!$Array.isArray(message.hostedKinds))
                        return "hostedKinds: array expected";
                    for (let i = 0; i < message.hostedKinds.length; ++i)
                        if (!$util.isString(message.hostedKinds[i]))
                            return "hostedKinds: string[] expected";
                }
                if (message.reportVersion != null && $Object.hasOwnProperty.call(message, "reportVersion"))
                    if (!$util.isInteger(message.reportVersion) && !(message.reportVersion && $util.isInteger(message.reportVersion.low) && $util.isInteger(message.reportVersion.high)))
                        return "reportVersion: integer|Long expected";
                if (message.beat != null && $Object.hasOwnProperty.call(message, "beat"))
                    if (typeof message.beat !== "boolean")
                        return "beat: boolean expected";
                if (message.wanted != null && $Object.hasOwnProperty.call(message, "wanted")) {
                    if (!$Array.isArray(message.wanted))
                        return "wanted: array expected";
                    for (let i = 0; i < message.wanted.length; ++i)
                        if (!$util.isString(message.wanted[i]))
                            return "wanted: string[] expected";
                }
                if (message.ageMs != null && $Object.hasOwnProperty.call(message, "ageMs"))
                    if (!$util.isInteger(message.ageMs) && !(message.ageMs && $util.isInteger(message.ageMs.low) && $util.isInteger(message.ageMs.high)))
                        return "ageMs: integer|Long expected";
                return null;
            };

            /**
             * Creates a ProcessHeartbeat message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.cluster.ProcessHeartbeat} ProcessHeartbeat
             */
            ProcessHeartbeat.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.cluster.ProcessHeartbeat)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.cluster.ProcessHeartbeat: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.cluster.ProcessHeartbeat();
                if (object.workerName != null)
                    if (typeof object.workerName !== "string" || object.workerName.length)
                        message.workerName = $String(object.workerName);
                if (object.workerApp != null)
                    if (typeof object.workerApp !== "string" || object.workerApp.length)
                        message.workerApp = $String(object.workerApp);
                if (object.incarnation != null)
                    if (typeof object.incarnation !== "string" || object.incarnation.length)
                        message.incarnation = $String(object.incarnation);
                if (object.roles) {
                    if (!$Array.isArray(object.roles))
                        throw $TypeError(".homeserver.cluster.ProcessHeartbeat.roles: array expected");
                    message.roles = $Array(object.roles.length);
                    for (let i = 0; i < object.roles.length; ++i)
                        message.roles[i] = $String(object.roles[i]);
                }
                if (object.version != null)
                    if (typeof object.version !== "string" || object.version.length)
                        message.version = $String(object.version);
                if (object.startedAtMs != null)
                    if (typeof object.startedAtMs === "object" ? object.startedAtMs.low || object.startedAtMs.high : $Number(object.startedAtMs) !== 0)
                        if ($util.Long)
                            message.startedAtMs = $util.Long.fromValue(object.startedAtMs, false);
                        else if (typeof object.startedAtMs === "string")
                            message.startedAtMs = $parseInt(object.startedAtMs, 10);
                        else if (typeof object.startedAtMs === "number")
                            message.startedAtMs = object.startedAtMs;
                        else if (typeof object.startedAtMs === "object")
                            message.startedAtMs = new $util.LongBits(object.startedAtMs.low >>> 0, object.startedAtMs.high >>> 0).toNumber();
                if (object.sentAtMs != null)
                    if (typeof object.sentAtMs === "object" ? object.sentAtMs.low || object.sentAtMs.high : $Number(object.sentAtMs) !== 0)
                        if ($util.Long)
                            message.sentAtMs = $util.Long.fromValue(object.sentAtMs, false);
                        else if (typeof object.sentAtMs === "string")
                            message.sentAtMs = $parseInt(object.sentAtMs, 10);
                        else if (typeof object.sentAtMs === "number")
                            message.sentAtMs = object.sentAtMs;
                        else if (typeof object.sentAtMs === "object")
                            message.sentAtMs = new $util.LongBits(object.sentAtMs.low >>> 0, object.sentAtMs.high >>> 0).toNumber();
                if (object.intervalMs != null)
                    if (typeof object.intervalMs === "object" ? object.intervalMs.low || object.intervalMs.high : $Number(object.intervalMs) !== 0)
                        if ($util.Long)
                            message.intervalMs = $util.Long.fromValue(object.intervalMs, false);
                        else if (typeof object.intervalMs === "string")
                            message.intervalMs = $parseInt(object.intervalMs, 10);
                        else if (typeof object.intervalMs === "number")
                            message.intervalMs = object.intervalMs;
                        else if (typeof object.intervalMs === "object")
                            message.intervalMs = new $util.LongBits(object.intervalMs.low >>> 0, object.intervalMs.high >>> 0).toNumber();
                if (object.streamWriters) {
                    if (!$Array.isArray(object.streamWriters))
                        throw $TypeError(".homeserver.cluster.ProcessHeartbeat.streamWriters: array expected");
                    message.streamWriters = $Array(object.streamWriters.length);
                    for (let i = 0; i < object.streamWriters.length; ++i) {
                        if (!$util.isObject(object.streamWriters[i]))
                            throw $TypeError(".homeserver.cluster.ProcessHeartbeat.streamWriters: object expected");
                        message.streamWriters[i] = $root.homeserver.cluster.WriterState.fromObject(object.streamWriters[i], _depth + 1);
                    }
                }
                if (object.streamReaders) {
                    if (!$Array.isArray(object.streamReaders))
                        throw $TypeError(".homeserver.cluster.ProcessHeartbeat.streamReaders: array expected");
                    message.streamReaders = $Array(object.streamReaders.length);
                    for (let i = 0; i < object.streamReaders.length; ++i) {
                        if (!$util.isObject(object.streamReaders[i]))
                            throw $TypeError(".homeserver.cluster.ProcessHeartbeat.streamReaders: object expected");
                        message.streamReaders[i] = $root.homeserver.cluster.ReaderState.fromObject(object.streamReaders[i], _depth + 1);
                    }
                }
                if (object.actorKinds) {
                    if (!$Array.isArray(object.actorKinds))
                        throw $TypeError(".homeserver.cluster.ProcessHeartbeat.actorKinds: array expected");
                    message.actorKinds = $Array(object.actorKinds.length);
                    for (let i = 0; i < object.actorKinds.length; ++i) {
                        if (!$util.isObject(object.actorKinds[i]))
                            throw $TypeError(".homeserver.cluster.ProcessHeartbeat.actorKinds: object expected");
                        message.actorKinds[i] = $root.homeserver.cluster.ActorKindState.fromObject(object.actorKinds[i], _depth + 1);
                    }
                }
                if (object.leaving != null)
                    if (object.leaving)
                        message.leaving = $Boolean(object.leaving);
                if (object.hello != null)
                    if (object.hello)
                        message.hello = $Boolean(object.hello);
                if (object.hostedKinds) {
                    if (!$Array.isArray(object.hostedKinds))
                        throw $TypeError(".homeserver.cluster.ProcessHeartbeat.hostedKinds: array expected");
                    message.hostedKinds = $Array(object.hostedKinds.length);
                    for (let i = 0; i < object.hostedKinds.length; ++i)
                        message.hostedKinds[i] = $String(object.hostedKinds[i]);
                }
                if (object.reportVersion != null)
                    if (typeof object.reportVersion === "object" ? object.reportVersion.low || object.reportVersion.high : $Number(object.reportVersion) !== 0)
                        if ($util.Long)
                            message.reportVersion = $util.Long.fromValue(object.reportVersion, true);
                        else if (typeof object.reportVersion === "string")
                            message.reportVersion = $parseInt(object.reportVersion, 10);
                        else if (typeof object.reportVersion === "number")
                            message.reportVersion = object.reportVersion;
                        else if (typeof object.reportVersion === "object")
                            message.reportVersion = new $util.LongBits(object.reportVersion.low >>> 0, object.reportVersion.high >>> 0).toNumber(true);
                if (object.beat != null)
                    if (object.beat)
                        message.beat = $Boolean(object.beat);
                if (object.wanted) {
                    if (!$Array.isArray(object.wanted))
                        throw $TypeError(".homeserver.cluster.ProcessHeartbeat.wanted: array expected");
                    message.wanted = $Array(object.wanted.length);
                    for (let i = 0; i < object.wanted.length; ++i)
                        message.wanted[i] = $String(object.wanted[i]);
                }
                if (object.ageMs != null)
                    if (typeof object.ageMs === "object" ? object.ageMs.low || object.ageMs.high : $Number(object.ageMs) !== 0)
                        if ($util.Long)
                            message.ageMs = $util.Long.fromValue(object.ageMs, false);
                        else if (typeof object.ageMs === "string")
                            message.ageMs = $parseInt(object.ageMs, 10);
                        else if (typeof object.ageMs === "number")
                            message.ageMs = object.ageMs;
                        else if (typeof object.ageMs === "object")
                            message.ageMs = new $util.LongBits(object.ageMs.low >>> 0, object.ageMs.high >>> 0).toNumber();
                return message;
            };

            /**
             * Creates a plain object from a ProcessHeartbeat message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @static
             * @param {homeserver.cluster.ProcessHeartbeat} message ProcessHeartbeat
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ProcessHeartbeat.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults) {
                    object.roles = [];
                    object.streamWriters = [];
                    object.streamReaders = [];
                    object.actorKinds = [];
                    object.hostedKinds = [];
                    object.wanted = [];
                }
                if (options.defaults) {
                    object.workerName = "";
                    object.workerApp = "";
                    object.incarnation = "";
                    object.version = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.startedAtMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.startedAtMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.sentAtMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.sentAtMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.intervalMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.intervalMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.leaving = false;
                    object.hello = false;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.reportVersion = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.reportVersion = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.beat = false;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.ageMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.ageMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (message.workerName != null && $Object.hasOwnProperty.call(message, "workerName"))
                    object.workerName = message.workerName;
                if (message.workerApp != null && $Object.hasOwnProperty.call(message, "workerApp"))
                    object.workerApp = message.workerApp;
                if (message.incarnation != null && $Object.hasOwnProperty.call(message, "incarnation"))
                    object.incarnation = message.incarnation;
                if (message.roles && message.roles.length) {
                    object.roles = $Array(message.roles.length);
                    for (let j = 0; j < message.roles.length; ++j)
                        object.roles[j] = message.roles[j];
                }
                if (message.version != null && $Object.hasOwnProperty.call(message, "version"))
                    object.version = message.version;
                if (message.startedAtMs != null && $Object.hasOwnProperty.call(message, "startedAtMs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.startedAtMs = typeof message.startedAtMs === "number" ? $BigInt(message.startedAtMs) : $util.Long.fromBits(message.startedAtMs.low >>> 0, message.startedAtMs.high >>> 0, false).toBigInt();
                    else if (typeof message.startedAtMs === "number")
                        object.startedAtMs = options.longs === $String ? $String(message.startedAtMs) : message.startedAtMs;
                    else
                        object.startedAtMs = options.longs === $String ? $util.Long.prototype.toString.call(message.startedAtMs) : options.longs === $Number ? new $util.LongBits(message.startedAtMs.low >>> 0, message.startedAtMs.high >>> 0).toNumber() : message.startedAtMs;
                if (message.sentAtMs != null && $Object.hasOwnProperty.call(message, "sentAtMs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.sentAtMs = typeof message.sentAtMs === "number" ? $BigInt(message.sentAtMs) : $util.Long.fromBits(message.sentAtMs.low >>> 0, message.sentAtMs.high >>> 0, false).toBigInt();
                    else if (typeof message.sentAtMs === "number")
                        object.sentAtMs = options.longs === $String ? $String(message.sentAtMs) : message.sentAtMs;
                    else
                        object.sentAtMs = options.longs === $String ? $util.Long.prototype.toString.call(message.sentAtMs) : options.longs === $Number ? new $util.LongBits(message.sentAtMs.low >>> 0, message.sentAtMs.high >>> 0).toNumber() : message.sentAtMs;
                if (message.intervalMs != null && $Object.hasOwnProperty.call(message, "intervalMs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.intervalMs = typeof message.intervalMs === "number" ? $BigInt(message.intervalMs) : $util.Long.fromBits(message.intervalMs.low >>> 0, message.intervalMs.high >>> 0, false).toBigInt();
                    else if (typeof message.intervalMs === "number")
                        object.intervalMs = options.longs === $String ? $String(message.intervalMs) : message.intervalMs;
                    else
                        object.intervalMs = options.longs === $String ? $util.Long.prototype.toString.call(message.intervalMs) : options.longs === $Number ? new $util.LongBits(message.intervalMs.low >>> 0, message.intervalMs.high >>> 0).toNumber() : message.intervalMs;
                if (message.streamWriters && message.streamWriters.length) {
                    object.streamWriters = $Array(message.streamWriters.length);
                    for (let j = 0; j < message.streamWriters.length; ++j)
                        object.streamWriters[j] = $root.homeserver.cluster.WriterState.toObject(message.streamWriters[j], options, _depth + 1);
                }
                if (message.streamReaders && message.streamReaders.length) {
                    object.streamReaders = $Array(message.streamReaders.length);
                    for (let j = 0; j < message.streamReaders.length; ++j)
                        object.streamReaders[j] = $root.homeserver.cluster.ReaderState.toObject(message.streamReaders[j], options, _depth + 1);
                }
                if (message.actorKinds && message.actorKinds.length) {
                    object.actorKinds = $Array(message.actorKinds.length);
                    for (let j = 0; j < message.actorKinds.length; ++j)
                        object.actorKinds[j] = $root.homeserver.cluster.ActorKindState.toObject(message.actorKinds[j], options, _depth + 1);
                }
                if (message.leaving != null && $Object.hasOwnProperty.call(message, "leaving"))
                    object.leaving = message.leaving;
                if (message.hello != null && $Object.hasOwnProperty.call(message, "hello"))
                    object.hello = message.hello;
                if (message.hostedKinds && message.hostedKinds.length) {
                    object.hostedKinds = $Array(message.hostedKinds.length);
                    for (let j = 0; j < message.hostedKinds.length; ++j)
                        object.hostedKinds[j] = message.hostedKinds[j];
                }
                if (message.reportVersion != null && $Object.hasOwnProperty.call(message, "reportVersion"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.reportVersion = typeof message.reportVersion === "number" ? $BigInt(message.reportVersion) : $util.Long.fromBits(message.reportVersion.low >>> 0, message.reportVersion.high >>> 0, true).toBigInt();
                    else if (typeof message.reportVersion === "number")
                        object.reportVersion = options.longs === $String ? $String(message.reportVersion) : message.reportVersion;
                    else
                        object.reportVersion = options.longs === $String ? $util.Long.prototype.toString.call(message.reportVersion) : options.longs === $Number ? new $util.LongBits(message.reportVersion.low >>> 0, message.reportVersion.high >>> 0).toNumber(true) : message.reportVersion;
                if (message.beat != null && $Object.hasOwnProperty.call(message, "beat"))
                    object.beat = message.beat;
                if (message.wanted && message.wanted.length) {
                    object.wanted = $Array(message.wanted.length);
                    for (let j = 0; j < message.wanted.length; ++j)
                        object.wanted[j] = message.wanted[j];
                }
                if (message.ageMs != null && $Object.hasOwnProperty.call(message, "ageMs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.ageMs = typeof message.ageMs === "number" ? $BigInt(message.ageMs) : $util.Long.fromBits(message.ageMs.low >>> 0, message.ageMs.high >>> 0, false).toBigInt();
                    else if (typeof message.ageMs === "number")
                        object.ageMs = options.longs === $String ? $String(message.ageMs) : message.ageMs;
                    else
                        object.ageMs = options.longs === $String ? $util.Long.prototype.toString.call(message.ageMs) : options.longs === $Number ? new $util.LongBits(message.ageMs.low >>> 0, message.ageMs.high >>> 0).toNumber() : message.ageMs;
                return object;
            };

            /**
             * Converts this ProcessHeartbeat to JSON.
             * @function toJSON
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ProcessHeartbeat.prototype.toJSON = function() {
                return ProcessHeartbeat.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ProcessHeartbeat
             * @function getTypeUrl
             * @memberof homeserver.cluster.ProcessHeartbeat
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ProcessHeartbeat.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.cluster.ProcessHeartbeat";
            };

            return ProcessHeartbeat;
        })();

        cluster.ClusterView = (function() {

            /**
             * Properties of a ClusterView.
             * @typedef {Object} homeserver.cluster.ClusterView.$Properties
             * @property {string|null} [relayIncarnation] ClusterView relayIncarnation
             * @property {Array.<homeserver.cluster.ProcessHeartbeat.$Properties>|null} [members] ClusterView members
             * @property {Array.<string>|null} [wanted] ClusterView wanted
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ClusterView.
             * @memberof homeserver.cluster
             * @interface IClusterView
             * @augments homeserver.cluster.ClusterView.$Properties
             * @deprecated Use homeserver.cluster.ClusterView.$Properties instead.
             */

            /**
             * Shape of a ClusterView.
             * @typedef {homeserver.cluster.ClusterView.$Properties} homeserver.cluster.ClusterView.$Shape
             */

            /**
             * Constructs a new ClusterView.
             * @memberof homeserver.cluster
             * @classdesc Represents a ClusterView.
             * @constructor
             * @param {homeserver.cluster.ClusterView.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ClusterView = function (properties) {
                this.members = [];
                this.wanted = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ClusterView relayIncarnation.
             * @member {string} relayIncarnation
             * @memberof homeserver.cluster.ClusterView
             * @instance
             */
            ClusterView.prototype.relayIncarnation = "";

            /**
             * ClusterView members.
             * @member {Array.<homeserver.cluster.ProcessHeartbeat.$Properties>} members
             * @memberof homeserver.cluster.ClusterView
             * @instance
             */
            ClusterView.prototype.members = $util.emptyArray;

            /**
             * ClusterView wanted.
             * @member {Array.<string>} wanted
             * @memberof homeserver.cluster.ClusterView
             * @instance
             */
            ClusterView.prototype.wanted = $util.emptyArray;

            /**
             * Creates a new ClusterView instance using the specified properties.
             * @function create
             * @memberof homeserver.cluster.ClusterView
             * @static
             * @param {homeserver.cluster.ClusterView.$Properties=} [properties] Properties to set
             * @returns {homeserver.cluster.ClusterView} ClusterView instance
             * @type {{
             *   (properties: homeserver.cluster.ClusterView.$Shape): homeserver.cluster.ClusterView & homeserver.cluster.ClusterView.$Shape;
             *   (properties?: homeserver.cluster.ClusterView.$Properties): homeserver.cluster.ClusterView;
             * }}
             */
            ClusterView.create = function(properties) {
                return new ClusterView(properties);
            };

            /**
             * Encodes the specified ClusterView message. Does not implicitly {@link homeserver.cluster.ClusterView.verify|verify} messages.
             * @function encode
             * @memberof homeserver.cluster.ClusterView
             * @static
             * @param {homeserver.cluster.ClusterView.$Properties} message ClusterView message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClusterView.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.relayIncarnation != null && $Object.hasOwnProperty.call(message, "relayIncarnation") && message.relayIncarnation !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.relayIncarnation);
                if (message.members != null && message.members.length)
                    for (let i = 0; i < message.members.length; ++i)
                        $root.homeserver.cluster.ProcessHeartbeat.encode(message.members[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.wanted != null && message.wanted.length)
                    for (let i = 0; i < message.wanted.length; ++i)
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.wanted[i]);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ClusterView message, length delimited. Does not implicitly {@link homeserver.cluster.ClusterView.verify|verify} messages.
             * @function encodeDelimited
             * @memberof homeserver.cluster.ClusterView
             * @static
             * @param {homeserver.cluster.ClusterView.$Properties} message ClusterView message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClusterView.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ClusterView message from the specified reader or buffer.
             * @function decode
             * @memberof homeserver.cluster.ClusterView
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {homeserver.cluster.ClusterView & homeserver.cluster.ClusterView.$Shape} ClusterView
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClusterView.decode = function (reader, length, _end, _depth, _target) {
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
                message = _target || new $root.homeserver.cluster.ClusterView();
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
                                message.relayIncarnation = value;
                            else
                                delete message.relayIncarnation;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.members && message.members.length))
                                message.members = [];
                            message.members.push($root.homeserver.cluster.ProcessHeartbeat.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.wanted && message.wanted.length))
                                message.wanted = [];
                            message.wanted.push(reader.stringVerify());
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
             * Decodes a ClusterView message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof homeserver.cluster.ClusterView
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {homeserver.cluster.ClusterView & homeserver.cluster.ClusterView.$Shape} ClusterView
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClusterView.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a ClusterView message.
             * @function verify
             * @memberof homeserver.cluster.ClusterView
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ClusterView.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.relayIncarnation != null && $Object.hasOwnProperty.call(message, "relayIncarnation"))
                    if (!$util.isString(message.relayIncarnation))
                        return "relayIncarnation: string expected";
                if (message.members != null && $Object.hasOwnProperty.call(message, "members")) {
                    if (!$Array.isArray(message.members))
                        return "members: array expected";
                    for (let i = 0; i < message.members.length; ++i) {
                        let error = $root.homeserver.cluster.ProcessHeartbeat.verify(message.members[i], _depth + 1);
                        if (error)
                            return "members." + error;
                    }
                }
                if (message.wanted != null && $Object.hasOwnProperty.call(message, "wanted")) {
                    if (!$Array.isArray(message.wanted))
                        return "wanted: array expected";
                    for (let i = 0; i < message.wanted.length; ++i)
                        if (!$util.isString(message.wanted[i]))
                            return "wanted: string[] expected";
                }
                return null;
            };

            /**
             * Creates a ClusterView message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof homeserver.cluster.ClusterView
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {homeserver.cluster.ClusterView} ClusterView
             */
            ClusterView.fromObject = function (object, _depth) {
                if (object instanceof $root.homeserver.cluster.ClusterView)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".homeserver.cluster.ClusterView: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.homeserver.cluster.ClusterView();
                if (object.relayIncarnation != null)
                    if (typeof object.relayIncarnation !== "string" || object.relayIncarnation.length)
                        message.relayIncarnation = $String(object.relayIncarnation);
                if (object.members) {
                    if (!$Array.isArray(object.members))
                        throw $TypeError(".homeserver.cluster.ClusterView.members: array expected");
                    message.members = $Array(object.members.length);
                    for (let i = 0; i < object.members.length; ++i) {
                        if (!$util.isObject(object.members[i]))
                            throw $TypeError(".homeserver.cluster.ClusterView.members: object expected");
                        message.members[i] = $root.homeserver.cluster.ProcessHeartbeat.fromObject(object.members[i], _depth + 1);
                    }
                }
                if (object.wanted) {
                    if (!$Array.isArray(object.wanted))
                        throw $TypeError(".homeserver.cluster.ClusterView.wanted: array expected");
                    message.wanted = $Array(object.wanted.length);
                    for (let i = 0; i < object.wanted.length; ++i)
                        message.wanted[i] = $String(object.wanted[i]);
                }
                return message;
            };

            /**
             * Creates a plain object from a ClusterView message. Also converts values to other types if specified.
             * @function toObject
             * @memberof homeserver.cluster.ClusterView
             * @static
             * @param {homeserver.cluster.ClusterView} message ClusterView
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ClusterView.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults) {
                    object.members = [];
                    object.wanted = [];
                }
                if (options.defaults)
                    object.relayIncarnation = "";
                if (message.relayIncarnation != null && $Object.hasOwnProperty.call(message, "relayIncarnation"))
                    object.relayIncarnation = message.relayIncarnation;
                if (message.members && message.members.length) {
                    object.members = $Array(message.members.length);
                    for (let j = 0; j < message.members.length; ++j)
                        object.members[j] = $root.homeserver.cluster.ProcessHeartbeat.toObject(message.members[j], options, _depth + 1);
                }
                if (message.wanted && message.wanted.length) {
                    object.wanted = $Array(message.wanted.length);
                    for (let j = 0; j < message.wanted.length; ++j)
                        object.wanted[j] = message.wanted[j];
                }
                return object;
            };

            /**
             * Converts this ClusterView to JSON.
             * @function toJSON
             * @memberof homeserver.cluster.ClusterView
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ClusterView.prototype.toJSON = function() {
                return ClusterView.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ClusterView
             * @function getTypeUrl
             * @memberof homeserver.cluster.ClusterView
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ClusterView.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/homeserver.cluster.ClusterView";
            };

            return ClusterView;
        })();

        return cluster;
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
