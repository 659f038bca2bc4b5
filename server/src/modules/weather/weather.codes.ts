import { registerEnumType } from 'type-graphql';

export enum AlertKind {
  STRONG_WIND = 'STRONG_WIND',
  HEAVY_RAIN = 'HEAVY_RAIN',
  COLD_WAVE = 'COLD_WAVE',
  DRY = 'DRY',
  STORM_SURGE = 'STORM_SURGE',
  HIGH_SEAS = 'HIGH_SEAS',
  TYPHOON = 'TYPHOON',
  HEAVY_SNOW = 'HEAVY_SNOW',
  YELLOW_DUST = 'YELLOW_DUST',
  HEAT_WAVE = 'HEAT_WAVE',
}
registerEnumType(AlertKind, {
  name: 'WeatherAlertKind',
  description: 'Kind of a KMA weather warning (warnVar).',
  valuesConfig: {
    STRONG_WIND: { description: '강풍 (1)' },
    HEAVY_RAIN: { description: '호우 (2)' },
    COLD_WAVE: { description: '한파 (3)' },
    DRY: { description: '건조 (4)' },
    STORM_SURGE: { description: '폭풍해일 (5)' },
    HIGH_SEAS: { description: '풍랑 (6)' },
    TYPHOON: { description: '태풍 (7)' },
    HEAVY_SNOW: { description: '대설 (8)' },
    YELLOW_DUST: { description: '황사 (9)' },
    HEAT_WAVE: { description: '폭염 (12)' },
  },
});

export const KIND_BY_WARN_VAR: Readonly<Record<number, AlertKind>> = {
  1: AlertKind.STRONG_WIND,
  2: AlertKind.HEAVY_RAIN,
  3: AlertKind.COLD_WAVE,
  4: AlertKind.DRY,
  5: AlertKind.STORM_SURGE,
  6: AlertKind.HIGH_SEAS,
  7: AlertKind.TYPHOON,
  8: AlertKind.HEAVY_SNOW,
  9: AlertKind.YELLOW_DUST,
  12: AlertKind.HEAT_WAVE,
};

export const KIND_KO: Readonly<Record<AlertKind, string>> = {
  STRONG_WIND: '강풍',
  HEAVY_RAIN: '호우',
  COLD_WAVE: '한파',
  DRY: '건조',
  STORM_SURGE: '폭풍해일',
  HIGH_SEAS: '풍랑',
  TYPHOON: '태풍',
  HEAVY_SNOW: '대설',
  YELLOW_DUST: '황사',
  HEAT_WAVE: '폭염',
};

export enum AlertLevel {
  ADVISORY = 'ADVISORY',
  WARNING = 'WARNING',
}
registerEnumType(AlertLevel, {
  name: 'WeatherAlertLevel',
  description: 'Strength of a warning (warnStress).',
  valuesConfig: { ADVISORY: { description: '주의보 (0)' }, WARNING: { description: '경보 (1 and above)' } },
});

export enum AlertCommand {
  ISSUE = 'ISSUE',
  LIFT = 'LIFT',
  EXTEND = 'EXTEND',
  CORRECT = 'CORRECT',
  CHANGE_ISSUE = 'CHANGE_ISSUE',
  CHANGE_LIFT = 'CHANGE_LIFT',
}
registerEnumType(AlertCommand, {
  name: 'WeatherAlertCommand',
  description: 'What a KMA announcement did to a warning in a zone (command).',
  valuesConfig: {
    ISSUE: { description: '발표 (1)' },
    LIFT: { description: '해제 (2)' },
    EXTEND: { description: '연장 (3)' },
    CORRECT: { description: '정정 (6)' },
    CHANGE_ISSUE: { description: '변경발표 (7), e.g. 주의보 → 경보' },
    CHANGE_LIFT: { description: '변경해제 (8)' },
  },
});

export const COMMAND_BY_CODE: Readonly<Record<number, AlertCommand>> = {
  1: AlertCommand.ISSUE,
  2: AlertCommand.LIFT,
  3: AlertCommand.EXTEND,
  6: AlertCommand.CORRECT,
  7: AlertCommand.CHANGE_ISSUE,
  8: AlertCommand.CHANGE_LIFT,
};

export const isLift = (c: AlertCommand) => c === AlertCommand.LIFT || c === AlertCommand.CHANGE_LIFT;
