import { describeDemoStory } from './support/demo-story.ts';

// A first start in the last month of a year: leases began the year before, the overdue ones in the autumn.
describeDemoStory('2026-12-07');
