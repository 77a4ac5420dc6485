import type { Command } from '@commander-js/extra-typings';

import type { CommandSite } from './commandSite';
import { registerRulesApply } from './rulesApplyCommand';
import { registerRuleCommands } from './rulesCommand';
import { registerRulesExport } from './rulesExportCommand';
import { registerRulesMute } from './rulesMuteCommand';
import { registerRulesStatus } from './rulesStatusCommand';
import { registerRulesTest } from './rulesTestCommand';
import { registerRulesUpdate } from './rulesUpdateCommand';

/** `export-alerts rules …`: manage the rules table and back-test queries. */
export function registerRules(parent: Command, site: CommandSite): void {
  const rules = parent
    .command('rules')
    .summary('manage, validate and back-test alert rules')
    .description(
      'Manage the alert rules table and back-test rules on export data. Rules commands read ' +
        'AzureWebJobsStorage (or ALERT_RULES_STORAGE) and ALERT_RULES_TABLE from the environment or ' +
        'local.settings.json; --connection overrides the connection string.',
    );
  registerRuleCommands(rules, site);
  registerRulesUpdate(rules, site);
  registerRulesApply(rules, site);
  registerRulesExport(rules, site);
  registerRulesTest(rules, site);
  registerRulesStatus(rules, site);
  registerRulesMute(rules, site);
}
