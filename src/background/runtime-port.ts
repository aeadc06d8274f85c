// The parts of a runtime.Port the service worker uses, so its handlers are unit-tested
// with plain objects. webextension-polyfill's Runtime.Port satisfies it.

export interface PortSender {
  id?: string;
  url?: string;
  origin?: string;
  frameId?: number;
  tab?: { id?: number; windowId?: number };
}

export interface RuntimePort {
  name: string;
  sender?: PortSender;
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}
