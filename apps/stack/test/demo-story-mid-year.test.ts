import { describeDemoStory } from './support/demo-story.ts';

// A first start on the last day of a half-year: the same story, every date moved with it.
describeDemoStory('2027-06-30');
