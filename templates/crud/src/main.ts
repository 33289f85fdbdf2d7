import { runService } from '@lessor/service-kit';
import { __nameCamel__Service } from './__name__.service.ts';

await runService(__nameCamel__Service);
