import type { ServerResponse } from 'node:http';
import busboy from 'busboy';
import type { Authenticate } from '../../app/graphql/auth.js';
import type { AuthUser } from '../../app/graphql/context.js';
import { HttpError, sendJson, type Request, type Route } from '../../app/http/request.js';
import type { Infra } from '../../app/infra.js';
import type { UploadService } from './upload.service.js';
import { MAX_UPLOAD_BYTES, sniffImage } from './upload.service.js';

/** Room for multipart boundaries and part headers around one file. */
const ENVELOPE_BYTES = 64 * 1024;

function signedIn(authenticate: Authenticate, req: Request): AuthUser {
  let user: AuthUser | null;
  try {
    user = authenticate(req.headers.authorization);
  } catch {
    throw new HttpError(401, 'UNAUTHENTICATED', 'The access token is not valid.');
  }
  if (!user) throw new HttpError(401, 'UNAUTHENTICATED', 'You must be signed in.');
  return user;
}

/** Reads the single `file` part of a multipart body into memory, at most MAX_UPLOAD_BYTES. */
function readFilePart(req: Request): Promise<Buffer> {
  return new Promise((resolveFile, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: MAX_UPLOAD_BYTES + 1, fields: 10, parts: 12, fieldSize: 1024 },
      });
    } catch {
      return reject(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the image as multipart/form-data.'));
    }
    let result: Buffer | null = null;
    let failure: HttpError | null = null;
    let files = 0;
    parser.on('file', (_name, stream) => {
      files += 1;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        failure ??= new HttpError(413, 'PAYLOAD_TOO_LARGE', `The file is over ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
      });
      stream.on('end', () => {
        if (files !== 1) return;
        result = Buffer.concat(chunks);
        // busboy stops at its limit (one byte over ours): anything over MAX_UPLOAD_BYTES is too large.
        if (result.length > MAX_UPLOAD_BYTES)
          failure ??= new HttpError(413, 'PAYLOAD_TOO_LARGE', `The file is over ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
      });
    });
    parser.on('filesLimit', () => {
      failure ??= new HttpError(400, 'BAD_USER_INPUT', 'Send exactly one file.');
    });
    parser.on('error', () => reject(new HttpError(400, 'BAD_USER_INPUT', 'The multipart body is malformed.')));
    parser.on('close', () => {
      if (failure) return reject(failure);
      if (result === null) return reject(new HttpError(400, 'BAD_USER_INPUT', 'The request has no file part.'));
      resolveFile(result);
    });
    req.pipe(parser);
  });
}

/** `POST /uploads` (multipart, one image, signed in) → `{ id }`; `GET /uploads/:id` for its owner and admins. */
export function uploadRoutes(deps: { infra: Pick<Infra, 'orm'>; uploads: UploadService; authenticate: Authenticate }): Route[] {
  const { uploads, authenticate } = deps;
  const post = async (req: Request, res: ServerResponse) => {
    const user = signedIn(authenticate, req);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_UPLOAD_BYTES + ENVELOPE_BYTES) {
      res.setHeader('connection', 'close');
      throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `The file is over ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
    }
    const type = String(req.headers['content-type'] ?? '');
    if (!type.toLowerCase().startsWith('multipart/form-data')) {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the image as multipart/form-data.');
    }
    let data: Buffer;
    try {
      data = await readFilePart(req);
    } catch (err) {
      // Stop reading a body we refuse; tell the client the connection ends.
      res.setHeader('connection', 'close');
      req.unpipe();
      req.resume();
      throw err;
    }
    if (data.length === 0) throw new HttpError(400, 'EMPTY_FILE', 'The file is empty.');
    const image = sniffImage(data);
    if (!image) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Only JPEG, PNG and WebP images are accepted.');
    const upload = await uploads.store(user.id, data, image);
    sendJson(res, 201, { id: upload.id });
  };

  const get = async (req: Request, res: ServerResponse, params: string[]) => {
    const user = signedIn(authenticate, req);
    const em = deps.infra.orm.em.fork();
    const upload = await uploads.find(em, params[0]);
    if (!upload || !uploads.canRead(user, upload)) throw new HttpError(404, 'NOT_FOUND', 'The upload was not found.');
    const body = await uploads.read(upload);
    res.writeHead(200, {
      'content-type': upload.mimeType,
      'content-length': body.length,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'content-disposition': 'inline',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  return [
    { method: 'POST', path: '/uploads', handle: post },
    { method: 'GET', path: /^\/uploads\/([^/]+)$/, handle: get },
  ];
}
