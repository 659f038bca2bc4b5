import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { MessageList } from './MessageList';

// jsdom has no layout: every message is 20px high and the log shows 100px.
const ROW = 20;
const VIEW = 100;
let restore: (() => void)[] = [];
beforeAll(() => {
  const sh = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'scrollHeight');
  const ch = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.children.length * ROW;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => VIEW });
  restore = [
    () => sh && Object.defineProperty(HTMLElement.prototype, 'scrollHeight', sh),
    () => ch && Object.defineProperty(HTMLElement.prototype, 'clientHeight', ch),
  ];
});
afterAll(() => restore.forEach((r) => r()));
afterEach(() => cleanup());

type Msg = { id: string; seq: number; body: string };
const msg = (seq: number): Msg => ({ id: `m${seq}`, seq, body: `message ${seq}` });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));

let append: (m: Msg) => void = () => undefined;
let loads = 0;

function Room() {
  const [messages, setMessages] = useState(range(21, 40));
  const [loading, setLoading] = useState(false);
  append = (m) => setMessages((ms) => [...ms, m]);
  const first = messages[0].seq;
  const loadOlder = () => {
    loads++;
    setLoading(true);
    // The page arrives later, as over the network.
    void Promise.resolve().then(() => {
      setMessages((ms) => [...range(Math.max(1, first - 10), first - 1), ...ms]);
      setLoading(false);
    });
  };
  return (
    <MessageList
      label="log"
      messages={messages}
      hasOlder={first > 1}
      loadingOlder={loading}
      onLoadOlder={loadOlder}
      renderMessage={(m) => <span>{m.body}</span>}
    />
  );
}

describe('chat scrollback', () => {
  it('starts at the newest message, loads older ones at the top without moving the view, and follows new messages', async () => {
    loads = 0;
    render(<Room />);
    const log = screen.getByTestId('messages');
    expect(log.scrollTop).toBe(20 * ROW); // bottom

    // Reading the top: an older page is prepended, and the reader still sees message 21 where it was.
    await act(async () => {
      log.scrollTop = 0;
      fireEvent.scroll(log);
    });
    expect(loads).toBe(1);
    expect(await screen.findByText('message 11')).toBeTruthy();
    expect(log.children).toHaveLength(30);
    expect(log.scrollTop).toBe(10 * ROW);
    expect((log.children[log.scrollTop / ROW] as HTMLElement).textContent).toBe('message 21');

    // Scrolled up: a new message does not yank the view; a button offers to jump.
    act(() => append(msg(41)));
    expect(log.scrollTop).toBe(10 * ROW);
    const jump = screen.getByRole('button', { name: /새 메시지 1개/ });
    fireEvent.click(jump);
    expect(log.scrollTop).toBe(log.scrollHeight);

    // At the bottom: new messages scroll into view.
    await act(async () => fireEvent.scroll(log));
    act(() => append(msg(42)));
    expect(log.scrollTop).toBe(log.scrollHeight); // jsdom does not clamp; a browser shows the last row
    expect(screen.queryByRole('button', { name: /새 메시지/ })).toBeNull();

    // Keyboard users get a button for older messages; it stops when the history is exhausted.
    fireEvent.click(screen.getByRole('button', { name: '이전 메시지 불러오기' }));
    expect(await screen.findByText('message 1')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '이전 메시지 불러오기' })).toBeNull();
  });
});
