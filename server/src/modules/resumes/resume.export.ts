import type { ServerResponse } from 'node:http';
import type { Authenticate } from '../../app/graphql/auth.js';
import { Context } from '../../app/graphql/context.js';
import { parseGlobalId } from '../../app/graphql/global-id.js';
import { HttpError, type Request, type Route } from '../../app/http/request.js';
import type { Infra } from '../../app/infra.js';
import type { ResumeService } from './resume.service.js';

/** JSON Resume without our `x-*` fields, as other JSON Resume tools expect it. */
export function publicJson(content: Record<string, unknown>): Record<string, unknown> {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => !k.startsWith('x-'))
          .map(([k, x]) => [k, strip(x)]),
      );
    return v;
  };
  return strip(content) as Record<string, unknown>;
}

const s = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const md = (text: string) => text.replace(/([\\`*_[\]#<>])/g, '\\$1');

export function toMarkdown(content: Record<string, any>): string {
  const out: string[] = [];
  const b = content.basics ?? {};
  out.push(`# ${md(s(b.name) || 'Resume')}`);
  if (s(b.label)) out.push(`**${md(b.label)}**`);
  const contact = [s(b.email), s(b.url), s(b.location?.address) || s(b.location?.city)].filter(Boolean).map(md);
  if (contact.length) out.push(contact.join(' · '));
  if (s(b.summary)) out.push('', md(b.summary));
  const dates = (i: any) => [s(i.startDate), s(i.endDate) || (s(i.startDate) ? 'present' : '')].filter(Boolean).join(' – ');
  const section = (title: string, items: any[], head: (i: any) => string) => {
    if (!items.length) return;
    out.push('', `## ${title}`);
    for (const i of items) {
      const d = dates(i);
      out.push('', `### ${head(i)}${d ? ` (${d})` : ''}`);
      if (s(i.summary) || s(i.description)) out.push(md(s(i.summary) || s(i.description)));
      if (s(i.url)) out.push(`<${i.url}>`);
      for (const h of list(i.highlights)) out.push(`- ${md(s(h))}`);
      if (list(i.keywords).length)
        out.push(
          `*${list(i.keywords)
            .map((k) => md(s(k)))
            .join(', ')}*`,
        );
    }
  };
  section('Work', list(content.work), (i) => md([s(i.position), s(i.name)].filter(Boolean).join(', ')));
  section('Projects', list(content.projects), (i) => md([s(i.name), s(i.entity)].filter(Boolean).join(' · ')));
  section('Volunteer', list(content.volunteer), (i) => md([s(i.position), s(i.organization)].filter(Boolean).join(', ')));
  section('Education', list(content.education), (i) => md([s(i.studyType), s(i.area), s(i.institution)].filter(Boolean).join(', ')));
  if (list(content.skills).length) {
    out.push('', '## Skills');
    for (const sk of list(content.skills))
      out.push(
        `- **${md(s(sk.name))}**${
          list(sk.keywords).length
            ? `: ${list(sk.keywords)
                .map((k) => md(s(k)))
                .join(', ')}`
            : ''
        }`,
      );
  }
  return `${out.join('\n')}\n`;
}

/** `GET /resumes/:id/export.json|.md`: same access rules as `resume(id)` (Bearer token optional); no view is counted. */
export function resumeExportRoutes(deps: { infra: Pick<Infra, 'orm'>; resumes: ResumeService; authenticate: Authenticate }): Route[] {
  const handle = async (req: Request, res: ServerResponse, params: string[]) => {
    let user;
    try {
      user = deps.authenticate(req.headers.authorization);
    } catch {
      throw new HttpError(401, 'UNAUTHENTICATED', 'The access token is not valid.');
    }
    const ctx = new Context(deps.infra.orm, { requestId: req.requestId, user, ip: req.ip, transport: 'http' });
    let id: number;
    try {
      id = /^\d+$/.test(params[0]) ? Number(params[0]) : parseGlobalId(decodeURIComponent(params[0]), 'Resume').id;
    } catch {
      throw new HttpError(404, 'NOT_FOUND', 'The resume was not found.');
    }
    const resume = await deps.resumes.findVisible(ctx, id);
    if (!resume) throw new HttpError(404, 'NOT_FOUND', 'The resume was not found.');
    const filename = `resume-${resume.id}-v${resume.version}`;
    const body =
      params[1] === 'json' ? `${JSON.stringify(publicJson(resume.content), null, 2)}\n` : toMarkdown(resume.content as Record<string, any>);
    res.writeHead(200, {
      'content-type': params[1] === 'json' ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}.${params[1]}"`,
      'cache-control': 'private, no-store',
      'content-length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  return [{ method: 'GET', path: /^\/resumes\/([^/]+)\/export\.(json|md)$/, handle }];
}
