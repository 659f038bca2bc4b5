import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import type { NotificationFieldsFragment } from '../__generated__/graphql';
import { hrefOf, notificationText } from './NotificationsPage';

const base = { __typename: 'Notification' as const, id: 'N1', createdAt: '2026-01-01T00:00:00Z', readAt: null };
const actor = { __typename: 'User' as const, id: 'U1', nickname: '바람_데모' };
const post = (title: string) => ({ __typename: 'Post' as const, id: 'P1', title });

describe('notification sentences', () => {
  const ko = i18n.getFixedT('ko');
  const en = i18n.getFixedT('en');
  const like = (count: number, title: string) =>
    ({ ...base, kind: 'LIKE', count, actor, target: post(title) }) as unknown as NotificationFieldsFragment;

  it('a single like names one person, with the particle that fits the title', () => {
    expect(notificationText(like(1, '시청 앞 소나기'), ko, 'ko')).toBe('바람_데모님이 ‘시청 앞 소나기’를 좋아해요.');
    expect(notificationText(like(1, '덕수궁 돌담길 맑음'), ko, 'ko')).toBe('바람_데모님이 ‘덕수궁 돌담길 맑음’을 좋아해요.');
    expect(notificationText(like(1, '시청 앞 소나기'), en, 'en')).toBe('바람_데모 liked “시청 앞 소나기”.');
  });

  it('grouped likes count the others', () => {
    expect(notificationText(like(3, '맑음'), ko, 'ko')).toBe('바람_데모님 외 2명이 ‘맑음’을 좋아해요.');
    expect(notificationText(like(2, 'Sunny'), en, 'en')).toBe('바람_데모 and 1 other liked “Sunny”.');
  });

  it('a warning names the province and the warning, with its particle', () => {
    const n = {
      ...base,
      kind: 'WEATHER_ALERT',
      count: 1,
      actor: null,
      target: { __typename: 'WeatherAlert', id: 'A1', province: 'SEOUL', kind: 'HEAT_WAVE', level: 'WARNING', areaName: '서울동북권' },
    } as unknown as NotificationFieldsFragment;
    expect(notificationText(n, ko, 'ko')).toBe('서울에 폭염 경보가 발표됐어요.');
    expect(hrefOf(n)).toBe('/weather/province/SEOUL');
  });

  it('links each notification to its target', () => {
    expect(hrefOf(like(1, 'x'))).toBe('/posts/P1');
    const comment = { ...base, kind: 'COMMENT', count: 1, actor, target: { __typename: 'Comment', id: 'C1', body: 'hi', targetId: 'R9' } };
    expect(hrefOf(comment as unknown as NotificationFieldsFragment)).toBe('/go/R9#comments');
  });
});
