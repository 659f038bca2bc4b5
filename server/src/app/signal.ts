/**
 * An in-process announcement whose listeners answer. The module that emits it knows nothing of who listens (they
 * subscribe through the composition root), yet learns what they did, e.g. how many rooms a warning opened.
 */
export class Signal<T, R = void> {
  private readonly listeners: ((value: T) => Promise<R>)[] = [];

  on(listener: (value: T) => Promise<R>): void {
    this.listeners.push(listener);
  }

  emit(value: T): Promise<R[]> {
    return Promise.all(this.listeners.map((l) => l(value)));
  }
}
