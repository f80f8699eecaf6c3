import { registerErasureStep } from '../accounts/erasure';
import { forgetRegistrations } from './progress/tracks';

/**
 * Erasure of a person reaches the player's records too: registrations, attempts, SCO runtime data
 * (suspend data, interactions…), launch sessions and the progress projection of those
 * registrations. Registered once by createApp.
 */
export function registerLaunchErasure(): void {
  registerErasureStep('launch', async (s, person) => {
    const { registrations, deleted } = await s.store.launch.deleteUserLaunchData(person.userId);
    const progress = registrations.length > 0 ? await s.store.progress.deleteProgress(registrations) : 0;
    // The pipeline's subscribers remember tracks and registrations (progress/tracks.ts).
    forgetRegistrations(s.store);
    return deleted + progress;
  });
}
