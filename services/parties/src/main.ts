import { runService } from '@lessor/service-kit';
import { partiesService } from './parties.service.ts';

await runService(partiesService);
