import type { Writable } from 'node:stream';
import type { Connection } from 'rabbitmq-client';

/**
 * Holds a connection's outgoing frames until the end of the current turn of the event loop, so that the frames
 * written meanwhile — the acks of a batch that just committed, a chunk of publishes — leave in one socket write
 * instead of one system call each (rabbitmq-client writes every ack, and every message, as soon as it is made).
 * Nothing is reordered or dropped: the socket is corked, and uncorked on the next `setImmediate`.
 *
 * rabbitmq-client exposes no batching of its own (its Consumer acks each delivery itself, so acks with
 * `multiple` are out of reach), so this reaches for the connection's socket, a field its typings hide. When the
 * field is missing (another version of the client) `hold` does nothing and frames go out one by one, as before.
 */
export class FrameCoalescer {
  private held: Writable | undefined;

  constructor(private readonly connection: Connection) {}

  /** Corks the socket until the next turn of the event loop (no-op when already held or not connected). */
  hold(): void {
    if (this.held) return;
    const socket = (this.connection as unknown as { _socket?: Partial<Writable> })._socket;
    if (!socket || typeof socket.cork !== 'function' || typeof socket.uncork !== 'function') return;
    if (socket.destroyed || !socket.writable) return;
    const held = socket as Writable;
    held.cork();
    this.held = held;
    setImmediate(() => this.flush());
  }

  /**
   * Sends what is held now. rabbitmq-client reads a corked socket as one blocked by the broker (`ready` is
   * false), so call this before asking a connection whether it is ready.
   */
  flush(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    held.uncork();
  }
}
