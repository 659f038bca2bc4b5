/**
 * Typed client for the two KMA services on data.go.kr (reference/kma.md). The body is always read as text and every
 * answer the portal really gives maps to a typed result or a `KmaError`; nothing here throws anything else.
 */

export type KmaErrorKind =
  /** The data.go.kr gateway refused the call (XML `OpenAPI_ServiceResponse`: unknown key, quota...). */
  | 'GATEWAY'
  /** The service answered with a `resultCode` other than 00 / 03. */
  | 'SERVICE'
  /** A non-2xx HTTP status. */
  | 'HTTP'
  /** No answer within the timeout, or the connection failed. */
  | 'NETWORK'
  /** A body that is neither the JSON envelope nor a gateway error. */
  | 'GARBAGE';

export class KmaError extends Error {
  constructor(
    readonly kind: KmaErrorKind,
    message: string,
    /** `resultCode` or `returnReasonCode` when KMA gave one. */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'KmaError';
  }

  /** Auth and configuration errors do not heal by retrying soon; everything else may. */
  get retryable(): boolean {
    if (this.kind === 'GATEWAY') return false;
    if (this.kind === 'SERVICE') return ['01', '02', '04', '05', '99'].includes(this.code ?? '');
    return true;
  }
}

/** A row of `getPwnCd` (특보코드조회), normalised: unset times are null, numbers are numbers. */
export interface KmaWarningRow {
  stnId: string;
  tmFc: number;
  tmSeq: number;
  areaCode: string;
  areaName: string;
  warnVar: number;
  warnStress: number;
  command: number;
  startTime: number | null;
  endTime: number | null;
  allEndTime: number | null;
  cancelled: boolean;
}

/** A row of `getUltraSrtNcst`. */
export interface KmaObservationRow {
  baseDate: string;
  baseTime: string;
  category: string;
  obsrValue: string;
}

export type KmaPage<T> = { items: T[]; totalCount: number };

/** What the weather module reads warnings and observations from: KMA itself, or the built-in demo. */
export interface KmaSource {
  warnings(fromDay: string, toDay: string): Promise<KmaWarningRow[]>;
  observations(baseDate: string, baseTime: string, nx: number, ny: number): Promise<KmaObservationRow[]>;
  /** Demo data (shown as such), never KMA's. */
  readonly demo?: boolean;
}

export interface KmaClientOptions {
  baseUrl: string;
  serviceKey: string;
  timeoutMs: number;
}

const text = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1]?.trim() ?? null;

/** Absent, 0, '' and garbage are all "unset" (kma.md §2.3). */
const time = (v: unknown): number | null => {
  const n = Number(v);
  return v === undefined || v === null || v === '' || !Number.isFinite(n) || n <= 0 ? null : n;
};

/** Parses any body the portal gives into items or a KmaError. Exported for unit tests. */
export function parseKmaBody(status: number, body: string): KmaPage<Record<string, unknown>> {
  const trimmed = body.trim();
  if (trimmed.startsWith('<')) {
    if (trimmed.includes('OpenAPI_ServiceResponse')) {
      const code = text(trimmed, 'returnReasonCode');
      const msg = text(trimmed, 'returnAuthMsg') ?? text(trimmed, 'errMsg') ?? 'gateway error';
      throw new KmaError('GATEWAY', `KMA gateway error ${code ?? '?'}: ${msg}`, code);
    }
    const code = text(trimmed, 'resultCode');
    if (code === '03') return { items: [], totalCount: 0 };
    if (status >= 400) throw new KmaError('HTTP', `KMA answered HTTP ${status}`);
    throw new KmaError('GARBAGE', `KMA answered XML${code ? ` (resultCode ${code})` : ''} where JSON was asked`, code);
  }
  if (status >= 400) throw new KmaError('HTTP', `KMA answered HTTP ${status}`);
  let json: any;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new KmaError('GARBAGE', `KMA answered a body that is not JSON (${trimmed.slice(0, 40)})`);
  }
  if (json?.OpenAPI_ServiceResponse) {
    const h = json.OpenAPI_ServiceResponse.cmmMsgHeader ?? {};
    const code = h.returnReasonCode != null ? String(h.returnReasonCode) : null;
    throw new KmaError('GATEWAY', `KMA gateway error ${code ?? '?'}: ${h.returnAuthMsg ?? h.errMsg ?? ''}`, code);
  }
  const header = json?.response?.header;
  if (!header || header.resultCode === undefined) throw new KmaError('GARBAGE', 'KMA answered JSON without a response header');
  const code = String(header.resultCode).padStart(2, '0');
  if (code === '03') return { items: [], totalCount: 0 };
  if (code !== '00') throw new KmaError('SERVICE', `KMA error ${code}: ${header.resultMsg ?? ''}`, code);
  const items = json.response.body?.items;
  const raw = items && typeof items === 'object' ? items.item : undefined;
  const list: Record<string, unknown>[] = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : [];
  const total = Number(json.response.body?.totalCount);
  return { items: list, totalCount: Number.isFinite(total) ? total : list.length };
}

export function toWarningRow(r: Record<string, unknown>): KmaWarningRow | null {
  const tmFc = Number(r.tmFc);
  const warnVar = Number(r.warnVar);
  if (!r.areaCode || !Number.isFinite(tmFc) || !Number.isFinite(warnVar)) return null;
  return {
    stnId: String(r.stnId ?? ''),
    tmFc,
    tmSeq: Number(r.tmSeq) || 0,
    areaCode: String(r.areaCode),
    areaName: String(r.areaName ?? ''),
    warnVar,
    warnStress: Number(r.warnStress) || 0,
    command: Number(r.command) || 1,
    startTime: time(r.startTime),
    endTime: time(r.endTime),
    allEndTime: time(r.allEndTime),
    cancelled: String(r.cancel ?? '0') === '1',
  };
}

export class KmaClient {
  constructor(private readonly options: KmaClientOptions) {}

  private async call(path: string, params: Record<string, string>): Promise<KmaPage<Record<string, unknown>>> {
    const url = new URL(`${this.options.baseUrl.replace(/\/$/, '')}/${path}`);
    // URLSearchParams encodes the (decoding) key exactly once.
    url.search = new URLSearchParams({ serviceKey: this.options.serviceKey, dataType: 'JSON', ...params }).toString();
    let status: number;
    let body: string;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs) });
      status = res.status;
      body = await res.text();
    } catch (err) {
      throw new KmaError('NETWORK', `KMA is not reachable: ${(err as Error).name === 'TimeoutError' ? 'timeout' : (err as Error).message}`);
    }
    return parseKmaBody(status, body);
  }

  /** Warning events per zone (getPwnCd) between two KST days `YYYYMMDD`, every page. */
  async warnings(fromDay: string, toDay: string): Promise<KmaWarningRow[]> {
    const rows: KmaWarningRow[] = [];
    const numOfRows = 1000;
    for (let pageNo = 1; pageNo <= 20; pageNo++) {
      const page = await this.call('WthrWrnInfoService/getPwnCd', {
        numOfRows: String(numOfRows),
        pageNo: String(pageNo),
        fromTmFc: fromDay,
        toTmFc: toDay,
      });
      for (const item of page.items) {
        const row = toWarningRow(item);
        if (row) rows.push(row);
      }
      if (pageNo * numOfRows >= page.totalCount || page.items.length === 0) break;
    }
    return rows;
  }

  /** Ultra-short-term observations (getUltraSrtNcst) of one grid cell; empty on NO_DATA. */
  async observations(baseDate: string, baseTime: string, nx: number, ny: number): Promise<KmaObservationRow[]> {
    const page = await this.call('VilageFcstInfoService_2.0/getUltraSrtNcst', {
      numOfRows: '20',
      pageNo: '1',
      base_date: baseDate,
      base_time: baseTime,
      nx: String(nx),
      ny: String(ny),
    });
    return page.items.map((i) => ({
      baseDate: String(i.baseDate ?? ''),
      baseTime: String(i.baseTime ?? ''),
      category: String(i.category ?? ''),
      obsrValue: String(i.obsrValue ?? ''),
    }));
  }
}
