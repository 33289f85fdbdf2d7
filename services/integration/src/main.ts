import { runService } from '@lessor/service-kit';
import { integrationService } from './integration.service.ts';

await runService(integrationService);
