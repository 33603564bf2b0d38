/** Words that say where things stand: resolved, restored, ongoing, under way... */
export const STATUS =
  /\b(?:resolved|restored|recovered|recovering|closed|fixed|mitigated|contained|corrected|reverted|rolled back|ongoing|in progress|under way|underway|open|remains?|(?:is|are|was|were) now|(?:is|are) (?:stable|normal|safe)|returned|back to normal|(?:has|have) (?:since|been \w+ed|been secured)|completed|suspended|written off|status|under investigation|being (?:assessed|investigated|recalled|reworked|pursued)|replaced|recalled|stopped|discharged|reopened|restarted|made safe|back in (?:service|use|operation)|secured|quarantined|pending|deleted|removed|confirmed|repaired|rebuilt|resumed|re-sent|regenerated|no further|(?:is|are) known|ended|lifted|withdrawn|destroyed|refunded|reimbursed|released|in place|remain|(?:has|have) been (?:stable|normal|healthy)|stable since|since then)\b/i;

/** Words that say something was harmed or lost. */
export const IMPACT_WORDS =
  /\b(?:affected|failed|lost|injur\w*|hurt|fractur\w*|harm\w*|errors?|unavailable|outage|delayed|cost|overbill\w*|exposed|damaged|defective|recalled|missed|down|treated|loss|impact\w*|late|stolen|fraudulent|leaked|breach\w*)\b/i;

/** Words that assess how likely something is. */
export const LIKELIHOOD =
  /\b(?:likelihood|likely|unlikely|probability|probable|chance|rated|assessed|rare|remote|frequent|recurrence|low|medium|moderate|high|negligible)\b/i;
