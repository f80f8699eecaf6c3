import { createAgentProfileMemo } from '../../../src/launch/scorm/agent-profile-memo';

describe('createAgentProfileMemo', () => {
  it('is due at Initialize, Terminate and unload, and for preferences the session has not written', () => {
    const m = createAgentProfileMemo();
    const p = { language: 'en', audio_level: 1 };
    expect(m.due('s1', 'initialize', {})).toBe(true);
    expect(m.due('s1', 'commit', p)).toBe(true);
    m.written('s1', 'commit', p);
    expect(m.due('s1', 'commit', { audio_level: 1, language: 'en' })).toBe(false);
    expect(m.due('s1', 'commit', {})).toBe(false);
    expect(m.due('s1', 'commit', { ...p, language: 'fr' })).toBe(true);
    expect(m.due('s2', 'commit', p)).toBe(true);
    expect(m.due('s1', 'terminate', p)).toBe(true);
    expect(m.due('s1', 'unload', p)).toBe(true);
    // After the SCO session ended nothing is remembered for it.
    m.written('s1', 'terminate', p);
    expect(m.due('s1', 'commit', p)).toBe(true);
  });

  it('forgets the oldest session beyond its bound', () => {
    const m = createAgentProfileMemo(2);
    const p = { language: 'en' };
    m.written('a', 'initialize', p);
    m.written('b', 'initialize', p);
    m.written('c', 'initialize', p);
    expect(m.due('a', 'commit', p)).toBe(true);
    expect(m.due('b', 'commit', p)).toBe(false);
    expect(m.due('c', 'commit', p)).toBe(false);
  });
});
