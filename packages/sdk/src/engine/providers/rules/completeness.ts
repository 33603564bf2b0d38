import type { DocumentAnalysis } from './analysis.js';
import type { ItemKey } from './items.js';
import type { Rule, RuleHit } from './rule.js';

/** For each item that can be missing: what to add, in one sentence. */
const WHAT_TO_ADD: Partial<Record<ItemKey, string>> = {
  summary:
    'Open with a short summary (three to five sentences): what happened, the impact in numbers, and the current status.',
  scope:
    'Add a "Scope" section: what the investigation covers, the question it answers, and what it excludes.',
  background:
    'Add a "Background" section describing the system, process or parties involved and how they normally work.',
  timeline:
    'Add a timeline: one entry per event (start, detection, escalation, mitigation, resolution), each with a date, time and time zone.',
  detection:
    'Add a "Detection" section: how the problem was detected, when, by whom or what, and how long after it started.',
  impact:
    'Add an "Impact" section in numbers: who or what was affected, how many, for how long and at what cost.',
  evidence:
    'Add an "Evidence" section listing the logs, records, metrics, documents and interviews the conclusions rest on.',
  'root-cause':
    'Add a "Root cause" section that states the underlying cause (not the symptom) and the reasoning or test that established it.',
  'contributing-factors':
    'Add a "Contributing factors" section naming the process, tooling and organisational conditions that made it possible or worse.',
  hypotheses:
    'Add an "Alternatives considered" section: the other explanations examined and the evidence that ruled each out.',
  mitigation:
    'Add a "Mitigation" section: what was done to stop the impact and when each step took effect.',
  actions:
    'Add corrective and preventive actions, each specific and with an owner (by role), a due date and a priority.',
  verification:
    'Add a "Verification" section: how the actions\' effect will be measured, by whom, and the date of the follow-up review.',
  lessons:
    'Add a "Lessons learned" section: what went well, what went badly, and where the team got lucky.',
  risk: 'Add a "Residual risk" section: the risk that remains until (and after) the actions land, and the likelihood of recurrence.',
  stakeholders:
    'Add a "Communication" section: who was informed (customers, leadership, regulators, partners), when and how.',
  compliance:
    'Add a "Compliance" section: the regulatory, legal, contractual or policy obligations that apply (notification deadlines, retention) and how they were met, or why none apply.',
};

function missingRule(item: ItemKey, suggestion: string): Rule {
  return {
    category: `missing-${item}`,
    item,
    severity: 'item-default',
    about: `The document has no ${item.replace(/-/g, ' ')} content anywhere (by heading or by content).`,
    document: ({ analysis, framework }) => {
      const presence = analysis.presence(item);
      if (presence.found !== 'none') return [];
      const definition = framework.items.find((candidate) => candidate.key === item);
      const title = definition?.title ?? item;
      const passes = definition ? ` It passes when ${definition.checks}.` : '';
      const hit: RuleHit = {
        sectionIndex: presence.emptySection,
        quote: null,
        title:
          presence.emptySection === null
            ? `Missing: ${title.toLowerCase()}`
            : `Empty section: ${title.toLowerCase()}`,
        description:
          presence.emptySection === null
            ? `No section or passage covers ${title.toLowerCase()}.${passes}`
            : `The section for ${title.toLowerCase()} holds only a placeholder.${passes}`,
        suggestion,
        confidence: structured(analysis) ? 0.85 : 0.7,
      };
      return [hit];
    },
  };
}

/** Whether the document is organised under headings the rules recognise. */
function structured(analysis: DocumentAnalysis): boolean {
  return (
    analysis.sections.flatMap((info) => info.regions.filter((r) => r.items.length > 0)).length >= 4
  );
}

/** One `missing-<item>` rule per item a document can leave out entirely. */
export const completenessRules: Rule[] = Object.entries(WHAT_TO_ADD).map(([item, suggestion]) =>
  missingRule(item as ItemKey, suggestion),
);
