import type { Infra } from '../../app/infra.js';
import type { ModuleParts } from '../../app/module.js';
import { Upload } from './upload.entity.js';
import type { Authenticate } from '../../app/graphql/auth.js';
import { uploadRoutes } from './upload.routes.js';
import { UploadService } from './upload.service.js';

export const UPLOADS_ENTITIES = [Upload];

/** Photos: `POST /uploads` (checked by content), readable by their owner and admins. */
export function createUploadsModule(deps: { infra: Infra; authenticate: Authenticate }) {
  const uploads = new UploadService(deps.infra);
  return { uploads, routes: uploadRoutes({ infra: deps.infra, uploads, authenticate: deps.authenticate }) } satisfies ModuleParts &
    Record<string, unknown>;
}
