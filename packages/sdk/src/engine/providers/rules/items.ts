/** The Hawkeye item keys the `rules` provider knows how to find and check. */
export type ItemKey =
  | 'summary'
  | 'scope'
  | 'background'
  | 'timeline'
  | 'detection'
  | 'impact'
  | 'evidence'
  | 'root-cause'
  | 'contributing-factors'
  | 'hypotheses'
  | 'mitigation'
  | 'actions'
  | 'verification'
  | 'lessons'
  | 'risk'
  | 'stakeholders'
  | 'compliance'
  | 'data-handling'
  | 'objectivity'
  | 'clarity';

/** A phrase that shows an item's content is present, and how much it counts (2 = enough alone). */
interface Cue {
  pattern: RegExp;
  weight: number;
}

/**
 * The section headings that name each item, tested on the heading lower-cased and without its
 * numbering. A heading can name several items ("Impact and detection").
 */
const HEADINGS: Record<ItemKey, RegExp[]> = {
  summary: [
    /^(?:executive |incident |event |investigation |management |short )?(?:summary|overview|synopsis|abstract)\b/,
    /\btl;?dr\b|\bat a glance\b|^in brief\b|^key (?:facts|points)\b/,
  ],
  scope: [
    /\bscope\b|\bobjectives?\b|\bpurpose\b|\bterms of reference\b|\baims?\b|\bremit\b/,
    /^(?:audit|review|investigation|inspection) (?:approach|plan|mandate)\b/,
    /\bquestions? (?:answered|addressed)\b|\bwhat this (?:review|report|investigation) covers\b/,
  ],
  background: [
    /\bbackground\b|\bcontext\b|\bsystem (?:overview|description)\b|\bhow .+ works?\b/,
    /^(?:the )?(?:site|system|process|service|platform|operation|activity|facility|equipment|product|organisation|setup|set-up)s?(?: and (?:the )?(?:activity|activities|process|context|operations?|equipment|setting))?$/,
    /^description of\b|\boverview of the\b|\bas it (?:normally )?works\b/,
    /\bnormal (?:operation|process|state)\b|\bsetting\b|\babout the\b|\bprocess description\b/,
    /^[\w -]{0,30}\b(?:process|workflow|architecture|set-?up|environment|operations)$/,
  ],
  timeline: [
    /\btime ?line\b|\bchronolog|\bsequence of events\b|\border of events\b|\bwhat happened\b/,
    /^(?:key )?events\b|\bincident log\b|\bevent log\b|\bsequence\b/,
  ],
  detection: [
    /\bdetect|\bdiscover|\bidentification\b|\balerting\b/,
    /\bhow (?:it|this|the \w+|we) (?:was |were )?(?:found|noticed|spotted|identified|detected|learned)/,
  ],
  impact: [
    /\bimpacts?\b|\bconsequences?\b|\bharm\b|\blosses\b|\bdamage\b|\boutcomes?\b/,
    /^effects?\b|\b(?:who|what) (?:was|were) affected\b/,
  ],
  evidence: [
    /\bevidence\b|\b(?:data |information )?sources\b|\bmethodology\b|\bmethods?\b/,
    /\binvestigation (?:approach|method)|^approach\b|\binformation gathered\b/,
    /\b(?:documents|records|data|materials?|information) (?:reviewed|examined|consulted)\b/,
  ],
  'root-cause': [
    /\broot causes?\b|\bcaus(?:e|es|al)\b|\bwhy (?:it|this|the \w+) happened\b/,
    /^(?:causal |root cause |incident )?analysis$/,
  ],
  'contributing-factors': [
    /\bcontribut|\bfactors\b|\bconditions that\b|\bwhat made it (?:worse|possible)\b/,
    /\b(?:underlying|latent|systemic|organisational|organizational|aggravating) (?:conditions|issues|causes)\b/,
  ],
  hypotheses: [
    /\balternatives?\b|\bother (?:explanations|causes|hypotheses|possibilities|theories)\b/,
    /\bhypothes|\bruled[- ]out\b|\bdifferential\b|\bexplanations\b|\bwhat it was not\b/,
  ],
  mitigation: [
    /\bmitigat|\bresolution\b|\bresolved\b|\bcontainment\b|\bcontain\b|\brecovery\b|\brestoration\b/,
    /\bimmediate (?:actions?|response|steps|measures)\b|\bactions? taken\b|\bworkaround\b/,
    /^(?:incident )?response\b|^remediation$|\binterim (?:measures|controls|actions)\b|^fix\b/,
  ],
  actions: [
    /\bactions?\b|\bcapa\b|\brecommendations?\b|\bnext steps\b|\bimprovements?\b/,
    /\bremediation (?:plan|actions?)\b|\bmanagement (?:response|action plan)\b/,
    /\bcorrective\b|\bpreventi?ve\b|\bpreventative\b/,
  ],
  verification: [
    /\bverif|\bvalidat|\bfollow[- ]?up\b|\beffectiveness\b|\bchecking (?:that )?it worked\b/,
    /\b(?:monitoring|tracking|review|audit) of (?:the )?(?:recommendations|actions|changes|measures)\b/,
    /\bmonitoring and review\b/,
    /\bsuccess (?:criteria|measures)\b|\bclosure (?:check|review)\b/,
  ],
  lessons: [
    /\blessons?\b|\blearn(?:ed|t|ings?)\b|\bwhat went (?:well|wrong|badly)\b|\btakeaways?\b/,
    /\breflections?\b|\bretrospective\b|\binsights\b/,
  ],
  risk: [/\brisks?\b|\brecurrence\b|\bexposure\b/],
  stakeholders: [
    /\bstakeholders?\b|\bcommunicat|\bnotifications?\b|\bbriefings?\b|\boutreach\b/,
    /\bwho was (?:informed|notified|told)\b|\bcustomer (?:contact|notice)\b/,
  ],
  compliance: [
    /\bcomplian|\bregulat|\blegal\b|\bpolic(?:y|ies)\b|\bobligations?\b|\bstatutory\b/,
    /\breporting requirements\b|\bcontractual\b/,
  ],
  'data-handling': [
    /\bsensitive data\b|\bpersonal data\b|\bprivacy\b|\bdata (?:handling|protection)\b/,
  ],
  objectivity: [],
  clarity: [],
};

/** Headings that look like one item but belong to another. */
const NOT_ITEM: Partial<Record<ItemKey, RegExp>> = {
  actions:
    /\bimmediate (?:actions?|response)\b|\bactions? taken\b|\bcontainment actions?\b|\b(?:monitoring|tracking|review|audit|verification|effectiveness) of (?:the )?(?:recommendations|actions)\b/,
  verification: /\bfollow[- ]?up actions?\b/,
  background: /\bcontext of (?:the )?(?:impact|risk)\b/,
};

/** The item keys a section heading names. */
export function headingItems(heading: string): ItemKey[] {
  const normal = heading
    .toLowerCase()
    .replace(/^(?:section\s+)?(?:\d+(?:\.\d+)*|[ivx]+|[a-h])[.)]?\s+/, '')
    .replace(/[*_#]/g, '')
    .trim();
  return (Object.keys(HEADINGS) as ItemKey[]).filter(
    (key) => HEADINGS[key].some((pattern) => pattern.test(normal)) && !NOT_ITEM[key]?.test(normal),
  );
}

const PARTIES =
  '(?:customers?|clients?|leadership|executives?|management|the board|board|regulators?|authorit(?:y|ies)|partners?|suppliers?|vendors?|merchants?|famil(?:y|ies)|relatives|next of kin|staff|employees|union|works council|insurers?|press|media|public|patients?|investors?|police|law enforcement|legal|counsel|daughter|son|wife|husband|parents?|guardian|chair|ceo|cfo|cto|ciso|coo|cio|vp|vice president|director|head of [\\w &]+|committee|stakeholders?|account manager|data protection officer|dpo|ombudsman|site leadership|inspectors?|manufacturers?|auditors?|brokers?|chief [a-z]+ officer|(?:general |site |plant )?managers?|owners?|officials?|agenc(?:y|ies)|council|government)';

const INFORMED =
  '(?:informed|notified|briefed|updated|contacted|told|emailed|consulted|warned|phoned|called|alerted|written to)';

/**
 * Phrases that show an item's content when it has no heading of its own. An item counts as
 * present when the weights of its distinct cues found in the document add up to 2.
 */
const CUES: Partial<Record<ItemKey, Cue[]>> = {
  scope: [
    { pattern: /\b(?:in|out of) scope\b|\bscope\b/i, weight: 2 },
    {
      pattern:
        /\bthis (?:review|investigation|report|analysis|audit|inquiry|assessment|document)\b[^.]{0,80}\b(?:covers|examines|addresses|answers|establishes|focuses|looks at|considers|sets out|is limited to|excludes|does not (?:cover|address|examine|consider))\b/i,
      weight: 2,
    },
    { pattern: /\b(?:terms of reference|set out to|the objective|the purpose of)\b/i, weight: 2 },
    { pattern: /\bdoes not (?:cover|address|include|examine)\b|\bexcluded from\b/i, weight: 1 },
    {
      pattern:
        /\b(?:it|the (?:review|investigation|report|analysis|audit|inquiry|assessment))\s+(?:covers|covered|examined|excludes|excluded|is limited to|was limited to|asked|sought to (?:establish|determine|answer))\b/i,
      weight: 2,
    },
  ],
  background: [
    { pattern: /\bbackground\b/i, weight: 2 },
    {
      pattern:
        /\b(?:normally|usually|usual|typically|ordinarily|routinely|in normal operation|under normal conditions|by design|as standard)\b/i,
      weight: 1,
    },
    {
      pattern:
        /\b(?:is|are) (?:used|responsible|managed|operated|run|stored|handled|processed|issued|configured|designed|maintained|owned|required|made|sent|paid|held|kept|checked|reviewed|approved|recorded|entered|printed|piped|charged|moved|built|tied)\b/i,
      weight: 1,
    },
    {
      pattern:
        /\b(?:each|every) (?:day|night|week|month|quarter|year|shift|run|order|batch)\b|\b(?:hourly|nightly|daily|weekly|monthly|quarterly|annually)\b/i,
      weight: 1,
    },
    { pattern: /\b(?:is|are) (?:normally |usually |then )?[a-z]+(?:ed|en)\b/i, weight: 1 },
    { pattern: /\b(?:runs (?:as|on)|consists of|comprises|is made up of)\b/i, weight: 1 },
    {
      pattern: /\b(?:the|our|this) (?:process|procedure|policy) (?:is|requires|works)\b/i,
      weight: 1,
    },
  ],
  detection: [
    {
      pattern:
        /\b(?:detected|noticed|spotted|discovered|came to light|first (?:reported|seen|observed))\b/i,
      weight: 2,
    },
    {
      pattern:
        /\b(?:we|internal audit|audit(?:ors)?|the (?:audit|review|inspection|investigation)|analytics|testing|sampling)\b[^.]{0,30}\b(?:found|identified|uncovered)\b/i,
      weight: 2,
    },
    {
      pattern:
        /\b(?:was|were) (?:first |only |therefore |then |eventually |finally )?(?:found|spotted|picked up|caught|raised|reported)\b/i,
      weight: 2,
    },
    {
      pattern: /\b(?:flagged|alert(?:ed)?|alarm|paged|complaint|reported by|raised by)\b/i,
      weight: 1,
    },
    {
      pattern:
        /\bdetection (?:was|came|happened|took|time)\b|\btime to (?:detect|detection)\b|\bwas detected\b/i,
      weight: 2,
    },
  ],
  impact: [
    {
      pattern:
        /(?:[$€£]\s?\d)|\b\d[\d,.]*\s?(?:%|percent)|\b\d[\d,.]*\s+(?:customers|users|patients|people|employees|staff|orders|requests|transactions|payments|units|accounts|records|invoices|items|calls|batches|parts|devices|sites|vehicles|flights|shipments|hours|days|weeks)\b/i,
      weight: 2,
    },
    { pattern: /\bimpact(?:ed|s)?\b/i, weight: 1 },
    { pattern: /\baffect(?:ed|ing)\b/i, weight: 1 },
    {
      pattern: /\b(?:injur\w+|hurt|harm(?:ed)?|downtime|outage|lost revenue|overbill\w*|losses)\b/i,
      weight: 1,
    },
  ],
  evidence: [
    {
      pattern:
        /\b(?:we|the team|investigators?|auditors?|(?:internal )?audit|the investigation)\b[^.]{0,20}\b(?:checked|compared|reviewed|analy[sz]ed|examined|inspected|reconstructed|reproduced|traced|sampled|tested|interviewed|went through|looked at|re-?performed|recalculated|reconciled|confirmed|verified)\b/i,
      weight: 2,
    },
    {
      pattern:
        /\b(?:logs?|records|metrics|dashboards?|screenshots?|transcripts?|cctv|footage|statements|interviews?|witness(?:es)?|audit trail|photographs?|telemetry|telematics|test results?|samples?)\b/i,
      weight: 1,
    },
    {
      pattern:
        /\b(?:according to|as shown (?:by|in)|confirmed by|evidence|(?:comes?|came) from|on (?:the )?(?:audit|case) file|(?:rests?|based|relies|rely|drawn) (?:on|from))\b/i,
      weight: 1,
    },
  ],
  'root-cause': [
    { pattern: /\broot causes?\b/i, weight: 2 },
    { pattern: /\b(?:was|were|is|are) caused by\b/i, weight: 2 },
    { pattern: /\b(?:underlying|primary|main|direct|proximate) cause\b/i, weight: 2 },
    { pattern: /\bthe cause (?:was|is|of)\b/i, weight: 2 },
    {
      pattern:
        /\b(?:failed|happened|occurred|broke|crashed|stopped|went wrong|was possible)\b[^.;]{0,30}\bbecause\b/i,
      weight: 2,
    },
  ],
  'contributing-factors': [
    { pattern: /\bcontribut(?:ing|ed|ory|ion|es)\b/i, weight: 2 },
    {
      pattern:
        /\b(?:made (?:it|this|the \w+) (?:possible|worse|more likely)|compounded|exacerbated|aggravated|worsened)\b/i,
      weight: 2,
    },
    { pattern: /\bfactors?\b/i, weight: 1 },
    {
      pattern:
        /\b(?:factors?|conditions?|weakness(?:es)?)\b[^.]{0,40}\b(?:let|allowed|enabled|permitted|helped)\b/i,
      weight: 2,
    },
    {
      pattern:
        /\b(?:should|would|could) have (?:caught|stopped|prevented|aborted|alerted|warned|detected|flagged|blocked)\b|\bnothing (?:caught|stopped|warned|flagged|prevented)\b/i,
      weight: 2,
    },
  ],
  hypotheses: [
    { pattern: /\brul(?:ed|ing|e) out\b/i, weight: 2 },
    {
      pattern:
        /\b(?:alternative|other|competing) (?:explanations?|causes?|hypothes[ie]s|theories|possibilities)\b|\bhypothes[ie]s\b/i,
      weight: 2,
    },
    {
      pattern:
        /\b(?:we|the team|investigators?)\b[^.]{0,15}\b(?:checked|considered|examined|tested|investigated|looked at|explored|assessed|verified) whether\b/i,
      weight: 2,
    },
    {
      pattern:
        /\b(?:eliminated|excluded|discounted) as (?:a )?(?:cause|possibility|factor|explanation)\b|\bwas not (?:the cause|responsible|a factor)\b/i,
      weight: 2,
    },
    { pattern: /\bno evidence (?:of|that|for)\b/i, weight: 1 },
    {
      pattern:
        /\b(?:we|the team|investigators?|the investigation) (?:also )?(?:excluded|eliminated|discounted|dismissed)\b|\bother (?:sources|possible causes|candidates|routes)\b/i,
      weight: 2,
    },
  ],
  mitigation: [
    {
      pattern:
        /\b(?:contain(?:ed|ment)?|quarantin\w*|(?:put|placed) on hold|isolated|suspended|blocked|disabled|shut down|stopped the|halted|paused|taken (?:offline|out of (?:service|use)|off the road)|kept off|grounded|withdr[ae]wn?|removed from (?:sale|service|use)|locked|evacuated|cordoned|closed (?:off|until|the))\b/i,
      weight: 1,
    },
    {
      pattern:
        /\b(?:revert(?:ed)?|rolled back|restored|re-?enabled|restarted|failed over|promoted|patched|hotfix|replaced|rotated|revoked|reset|corrected|mitigat\w+|workaround)\b/i,
      weight: 1,
    },
    {
      pattern:
        /\b(?:resolved|recovered|fixed|remediated|back to normal|returned to normal|extinguished|put out)\b/i,
      weight: 1,
    },
    {
      pattern: /\b(?:re-?ran|re-?run|re-?processed|re-?submitted|re-?sent|by hand|manually)\b/i,
      weight: 1,
    },
    {
      pattern:
        /\b(?:was|were|has been|have been) (?:corrected|fixed|amended|repaired|resolved|settled|repaid)\b/i,
      weight: 2,
    },
    {
      pattern:
        /\bto (?:contain|limit|stop|reduce|minimi[sz]e) (?:the )?(?:problem|impact|damage|harm|loss|losses|exposure|spread|leak|outage)\b/i,
      weight: 2,
    },
    {
      pattern: /\b(?:recall(?:ed)?|sorted|credit note|refunded|reimbursed|repay\w*|compensated)\b/i,
      weight: 1,
    },
  ],
  actions: [
    {
      pattern:
        /\baction (?:items?|plan)\b|\b(?:corrective|preventive|preventative) actions?\b|\bactions?:/i,
      weight: 2,
    },
    {
      pattern:
        /\bwill (?:add|implement|introduce|install|change|update|deploy|replace|train|create|build|restore|automate|enforce|require|review|retire|redesign)\b[^.]{0,160}\b(?:by|due|before)\b/i,
      weight: 2,
    },
    { pattern: /\b(?:owner|due date|due)\b/i, weight: 1 },
  ],
  verification: [
    {
      pattern: /\b(?:verification|effectiveness|follow[- ]up (?:review|audit|check))\b/i,
      weight: 2,
    },
    {
      pattern:
        /\bwill (?:check|audit|confirm|measure|test|re-?test|verify|validate|sample|review|observe|inspect|simulate|re-?run|repeat|monitor)\b[^.;]{0,80}\b(?:that|whether|effect\w*|results?|worked|working|actions?|changes?|fix(?:es)?|controls?|to (?:confirm|check|ensure|show))\b/i,
      weight: 2,
    },
    { pattern: /\b(?:verify|validate|check that|confirm that)\b|\bdrill\b/i, weight: 1 },
    { pattern: /\bto (?:verify|confirm|check|test)\b[^.]{0,15}[,:]/i, weight: 2 },
    {
      pattern:
        /\bwill (?:run|carry out|conduct|repeat|perform) (?:an? |the )?[\w -]{0,30}\b(?:check|audit|review|test|sample|inspection)s?\b/i,
      weight: 2,
    },
  ],
  lessons: [
    { pattern: /\blessons?\b|\btakeaways?\b/i, weight: 2 },
    {
      pattern: /\bwent (?:well|badly|wrong|poorly)\b|\bwhat (?:worked|did not work|didn't work)\b/i,
      weight: 2,
    },
    {
      pattern: /\b(?:we were|we got|got) (?:lucky|fortunate)\b|\bwere fortunate\b|\bluckily\b/i,
      weight: 2,
    },
    { pattern: /\blearn(?:ed|t|ing)\b|\bin hindsight\b|\bfortunately\b/i, weight: 1 },
  ],
  risk: [
    { pattern: /\b(?:residual|remaining|outstanding|ongoing) risks?\b/i, weight: 2 },
    {
      pattern:
        /\b(?:risk|likelihood|probability|chance) (?:of|that) (?:a )?(?:repeat|recurrence|reoccurrence|similar|another|it happening)\b/i,
      weight: 2,
    },
    { pattern: /\bcould (?:happen|occur|recur) again\b/i, weight: 2 },
    {
      pattern:
        /\b(?:recurrence|repeat|reoccurrence|likelihood|probability)\b[^.]{0,60}\b(?:unlikely|likely|low|medium|moderate|high|remote|rated|assessed)\b/i,
      weight: 2,
    },
    { pattern: /\b(?:recurrence|likelihood)\b/i, weight: 1 },
    { pattern: /\brisks?\b/i, weight: 1 },
  ],
  stakeholders: [
    {
      pattern: new RegExp(
        `\\b${PARTIES}\\b[^.;]{0,80}\\b(?:was|were|has been|have been) ${INFORMED}`,
        'i',
      ),
      weight: 2,
    },
    { pattern: new RegExp(`\\b${INFORMED}\\b[^.;]{0,50}\\b${PARTIES}\\b`, 'i'), weight: 2 },
    {
      pattern: /\bstatus page\b|\bstakeholders?\b|\bpress release\b|\bcustomer notice\b/i,
      weight: 2,
    },
    { pattern: /\bcommunicat\w+\b/i, weight: 1 },
  ],
  compliance: [
    { pattern: /\b(?:regulat\w+|compliance|compliant|non-compliance)\b/i, weight: 2 },
    {
      pattern:
        /\b(?:legal|statutory|contractual|regulatory|reporting|notification) (?:obligations?|requirements?|duty|duties|deadlines?)\b/i,
      weight: 2,
    },
    {
      pattern:
        /\b(?:GDPR|HIPAA|OSHA|RIDDOR|SOX|PCI(?:[- ]DSS)?|CCPA|FCA|FDA|MHRA|HSE|ICO|NIS2|DORA)\b/,
      weight: 2,
    },
    { pattern: /\breportable\b/i, weight: 2 },
    {
      pattern:
        /\b(?:as required by|in accordance with|under (?:our|the) [\w -]{0,40}(?:policy|regulations?|act|law|contract|agreement))\b/i,
      weight: 2,
    },
    {
      pattern:
        /\b(?:[A-Z][a-z]+ ){1,5}(?:Act|Regulations?|Directive|Code of Practice)(?: \d{4})?\b/,
      weight: 2,
    },
    {
      pattern: /\b(?:policy|law|regulations?|contract) (?:requires|permits|allows|obliges)\b/i,
      weight: 1,
    },
    {
      pattern:
        /\b(?:rules?|regulations?|laws?|codes?|standards?|licen[cs]es?|permits?|policies|policy) (?:require|requires|required|oblige|obliges|mandate|mandates)\b|\b(?:reported|notified) within \d+ (?:hours|days|working days)\b/i,
      weight: 2,
    },
    {
      pattern:
        /\b(?:policy|retention|disclosure|restatement|law enforcement|(?:sla|service) credits?|penalt(?:y|ies)|fines?)\b/i,
      weight: 1,
    },
  ],
};

/** The weight of an item's distinct cues found in `text`. */
export function cueWeight(key: ItemKey, text: string): number {
  return (CUES[key] ?? []).reduce((sum, cue) => sum + (cue.pattern.test(text) ? cue.weight : 0), 0);
}
