import { PAGE_HANDSHAKE, type PageRequest } from '../../../src/protocol/messages';

// Stand-ins for the DOM's messaging interfaces: like WebIDL's, a channel's ports, a port's
// onmessage and an event's data are accessors on the prototypes, and postMessage, start and
// close are methods there. A port is an EventTarget; a message reaches the other port as a
// structured clone in a later task, once that port is started. The "browser" and the relay
// below use their own references, so what the page does to the prototypes reaches only the
// page script.
const listen = Function.prototype.call.bind(EventTarget.prototype.addEventListener) as (
  target: EventTarget,
  type: string,
  listener: (event: Event) => void,
) => void;
const dispatch = Function.prototype.call.bind(EventTarget.prototype.dispatchEvent) as (target: EventTarget, event: Event) => boolean;

export class FakeMessageEvent extends Event {
  readonly #data: unknown;
  constructor(data: unknown) {
    super('message');
    this.#data = data;
  }
  get data() {
    return this.#data;
  }
  static dataOf(event: FakeMessageEvent) {
    return event.#data;
  }
}

export class FakeMessagePort extends EventTarget {
  #peer?: FakeMessagePort;
  #started = false;
  #queue: FakeMessageEvent[] = [];
  static link(a: FakeMessagePort, b: FakeMessagePort) {
    a.#peer = b;
    b.#peer = a;
  }
  static begin(port: FakeMessagePort) {
    port.#started = true;
    for (const event of port.#queue.splice(0)) setTimeout(() => dispatch(port, event));
  }
  /** The relay's side: `handler` gets each message's data. */
  static listen(port: FakeMessagePort, handler: (data: unknown) => void) {
    listen(port, 'message', (event) => handler(FakeMessageEvent.dataOf(event as FakeMessageEvent)));
    FakeMessagePort.begin(port);
  }
  static deliver(port: FakeMessagePort, message: unknown) {
    const peer = port.#peer!;
    const event = new FakeMessageEvent(structuredClone(message));
    setTimeout(() => (peer.#started ? dispatch(peer, event) : peer.#queue.push(event)));
  }
  /** As in the DOM, setting onmessage also starts the port. */
  set onmessage(handler: (event: Event) => void) {
    listen(this, 'message', handler);
    FakeMessagePort.begin(this);
  }
  postMessage(message: unknown) {
    FakeMessagePort.deliver(this, message);
  }
  start() {
    FakeMessagePort.begin(this);
  }
  close() {}
}

export class FakeMessageChannel {
  readonly #port1 = new FakeMessagePort();
  readonly #port2 = new FakeMessagePort();
  constructor() {
    FakeMessagePort.link(this.#port1, this.#port2);
  }
  get port1() {
    return this.#port1;
  }
  get port2() {
    return this.#port2;
  }
}

/** The relay: takes the port from the handshake and answers the request with `answer`. */
export function fakeWindow(answer: (request: PageRequest) => unknown) {
  const requests: PageRequest[] = [];
  const postMessage = (message: { type: string }, _origin: string, [port]: FakeMessagePort[]) => {
    if (message.type !== PAGE_HANDSHAKE || !port) return;
    FakeMessagePort.listen(port, (data) => {
      requests.push(data as PageRequest);
      FakeMessagePort.deliver(port, answer(data as PageRequest));
    });
  };
  return { window: { postMessage } as unknown as Window, requests };
}
