import { runService } from '@lessor/service-kit';
import { auditService } from './audit.service.ts';

await runService(auditService);
