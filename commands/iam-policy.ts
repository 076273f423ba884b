import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { type LshiftConfig, loadConfig } from '../src/cli/config-file.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { aliasFlag, configFlag, REPEATABLE } from '../src/cli/flags.js';
import { FUNCTION_WORDS, functionArg } from '../src/cli/function-args.js';
import { buildPolicy } from '../src/cli/iam/policy.js';
import { formatPolicy, POLICY_FORMATS } from '../src/cli/iam/policy-formats.js';
import { parseFunctionRef } from '../src/cli/iam/policy-names.js';
import {
  aliasOf,
  entryChecks,
  FUNCTION_PLACEHOLDER,
  nameOf,
  releaseFunctions,
} from '../src/cli/release-options.js';
import { assertExpandedAlarms } from '../src/domain/alarm-templates.js';
import { assertAlarmNames } from '../src/domain/aws-names.js';
import { resolveCodeDeployNames } from '../src/domain/codedeploy-plan.js';
import { echoInput } from '../src/domain/echo.js';
import { UsageError } from '../src/domain/errors.js';
import { functionKeyOf } from '../src/domain/function-ref.js';
import { parseHookConfigEntry, parseHookSpec } from '../src/domain/hook-spec.js';
import type { HookSpec } from '../src/ports/hooks.js';

export default class IamPolicy extends BaseCommand {
  static override summary = 'Print the IAM policy lshift needs for these functions, scoped to their ARNs.';
  static override description =
    `Covers deploy, publish, alias, rollback, status and check for the functions, the alarms they are watched by and the functions Lambda hooks invoke. Nothing is read from AWS. A function the config file's \`functions:\` lists brings its entry's own alias (\`{alias}\`, its CodeDeploy group), alarms and hooks; --alias, --alarm and --hook apply to every function. A name is never a wildcard: a function, alias or region that holds "*" or "?" (or an unfilled \`{function}\`) is refused, and "*", "?" and "$" in an alarm name are written as IAM's literal escapes \`\${*}\`, \`\${?}\`, \`\${$}\`. "*" appears only where AWS allows nothing narrower or where you name nothing narrower (no alarms: every alarm; --composite-alarms), and the notes on stderr say where and why (docs/iam-policy.md). With --json: \`{format, policy, text, notes}\`, where \`policy\` is the policy document and \`text\` what --format prints without --json (the Terraform or CloudFormation text).

${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> iam-policy orders --alarm orders-errors --region eu-west-1 --account 123456789012',
    "<%= config.bin %> iam-policy orders payments --alarm '{function}-errors' --format terraform",
    '<%= config.bin %> iam-policy orders --config lshift.config.yaml --format cloudformation',
  ];
  static override strict = false;
  static override args = {
    functions: functionArg({
      description: `functions (one or more), each a ${FUNCTION_WORDS}; none: the config file’s \`functions:\``,
      qualifierHint: 'The policy covers every version and alias of each function it names.',
    }),
  };
  static override flags = {
    ...aliasFlag,
    alarm: Flags.string({
      description:
        'alarm watched (repeatable; default: the config file’s alarms); `{function}` and `{alias}` stand for each function and the alias, `{{` and `}}` for a literal brace; *, ? and $ in a name are literal',
      ...REPEATABLE,
    }),
    hook: Flags.string({
      description:
        'hook spec of any phase (repeatable; default: the config file’s hooks); lambda: hooks need InvokeFunction; `{function}` stands for each function',
      ...REPEATABLE,
    }),
    format: Flags.option({ options: POLICY_FORMATS, default: 'json', description: 'output format' })(),
    region: Flags.string({
      description:
        'region of the ARNs; a function given as an ARN keeps its own, for its alarms too (default: AWS_REGION, AWS_DEFAULT_REGION, the config file)',
    }),
    account: Flags.string({ description: 'account ID of the ARNs (default: AWS_ACCOUNT_ID)' }),
    'composite-alarms': Flags.boolean({
      description: 'some watched alarms are composite: CloudWatch then needs DescribeAlarms on "*"',
    }),
    'list-functions': Flags.boolean({
      description:
        'also allow `lshift check` and `lshift rollback --release <id>` without function names, and the look for a release\'s functions not named by `deploy --resume` and `rollback --release` (lambda:ListFunctions on "*")',
    }),
    engine: Flags.option({
      options: ['native', 'codedeploy'] as const,
      default: 'native',
      description: 'deploy engine: codedeploy adds the CodeDeploy actions on its application and group',
    })(),
    application: Flags.string({
      description: '--engine codedeploy: the application [default: lshift-<function>]',
    }),
    'deployment-group': Flags.string({
      description: '--engine codedeploy: the deployment group [default: <function>-<alias>]',
    }),
    ...configFlag,
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(IamPolicy);
    const { config } = await loadConfig(flags.config);
    const account = flags.account ?? (process.env['AWS_ACCOUNT_ID']?.trim() || undefined);
    if (account !== undefined && !/^\d{12}$/.test(account)) {
      throw new UsageError(
        'ACCOUNT_INVALID',
        `Invalid --account \`${echoInput(account)}\`: an AWS account ID is 12 digits.`,
        {
          hint: 'Pass the 12-digit ID, e.g. --account 123456789012 (aws sts get-caller-identity prints it).',
        },
      );
    }
    // None named: the config file's `functions:`, as status, check and deploy read it (found by a
    // hostile pass: "Missing 1 required arg" beside a config that lists them).
    const functions = argv.length > 0 ? (argv as string[]) : releaseFunctions([], config).map(nameOf);
    if (functions.length === 0) {
      throw new UsageError('USAGE', 'Missing the functions the policy is for.', {
        hint: 'Name them (`lshift iam-policy orders payments`), or list `functions:` in the config file.',
      });
    }
    const names = functions.map((f, i) => parseFunctionRef(f, `function argument ${i + 1}`).name);
    const hooks = [...hookSpecs(flags.hook, config, names), ...entryHookSpecs(flags.hook, config, names)];
    const own = entryChecks(config, flags);
    const region = regionWithSource(flags.region, config.region);
    const alarms = flags.alarm ?? config.alarms ?? [];
    const alarmsFrom = flags.alarm ? '--alarm' : 'the config file’s `alarms`';
    // As status and check: a template's length is CloudWatch's bound once filled for each function
    // (found by a hostile pass: iam-policy measured `{function}` as typed and refused a name the
    // other commands accept).
    assertAlarmNames(alarms, alarmsFrom, { templates: true });
    for (const fn of names) assertExpandedAlarms(alarms, fn, aliasOf(fn, flags.alias, config), alarmsFrom);
    const generated = buildPolicy({
      functions,
      alarms,
      alias: flags.alias ?? config.alias ?? 'live',
      own,
      // An invoke-target hook invokes the function being deployed.
      hookFunctions: [
        ...hooks.flatMap((h) => (h.kind === 'lambda' ? [h.functionName] : [])),
        ...(hooks.some((h) => h.kind === 'invoke-target') ? functions : []),
      ],
      region: region?.value,
      regionSource: region?.source,
      account,
      compositeAlarms: flags['composite-alarms'],
      listFunctions: flags['list-functions'],
      ...(flags.engine === 'codedeploy' ? { codeDeploy: codeDeployTargets(names, flags, config, own) } : {}),
    });
    const text = formatPolicy(generated, flags.format);
    if (!this.jsonEnabled()) {
      this.say(text);
      for (const note of generated.notes) this.note(`note: ${note}`);
    }
    // `text`: what --format prints without --json (found by a hostile pass: `--format terraform
    // --json` gave the raw policy and no Terraform at all).
    return { format: flags.format, policy: generated.policy, text, notes: generated.notes };
  }
}

/**
 * As in a deploy (src/cli/release-options.ts), a spec with `{function}` is each function's own
 * hook: it is filled in for every function, never left in an ARN.
 */
function hookSpecs(fromFlags: string[] | undefined, config: LshiftConfig, names: string[]): HookSpec[] {
  const perFunction = <T>(text: string, build: (fill: (t: string) => string) => T): T[] =>
    text.includes(FUNCTION_PLACEHOLDER)
      ? names.map((name) => build((t) => t.replaceAll(FUNCTION_PLACEHOLDER, name)))
      : [build((t) => t)];
  if (fromFlags && fromFlags.length > 0) {
    return fromFlags.flatMap((t) => perFunction(t, (fill) => parseHookSpec(fill(t), '--hook')));
  }
  return Object.entries(config.hooks ?? {}).flatMap(([phase, entries]) =>
    (entries ?? []).flatMap((e, i) =>
      perFunction(typeof e === 'string' ? e : e.spec, (fill) =>
        parseHookConfigEntry(
          typeof e === 'string' ? fill(e) : { ...e, spec: fill(e.spec) },
          `hooks.${phase}[${i}] in the config file`,
        ),
      ),
    ),
  );
}

/**
 * The hooks of the named functions' own config file entries (`functions: [{name, hooks}]`), as a
 * deploy runs them: `{function}` is that function; `--hook` replaces them as it replaces the file's.
 */
function entryHookSpecs(fromFlags: string[] | undefined, config: LshiftConfig, names: string[]): HookSpec[] {
  if (fromFlags && fromFlags.length > 0) return [];
  return (config.functions ?? []).flatMap((entry, index) => {
    if (typeof entry === 'string' || !names.includes(functionKeyOf(entry.name))) return [];
    const fill = (t: string) => t.replaceAll(FUNCTION_PLACEHOLDER, functionKeyOf(entry.name));
    return Object.entries(entry.hooks ?? {}).flatMap(([phase, specs]) =>
      (specs ?? []).map((e, i) =>
        parseHookConfigEntry(
          typeof e === 'string' ? fill(e) : { ...e, spec: fill(e.spec) },
          `functions[${index}].hooks.${phase}[${i}] in the config file`,
        ),
      ),
    );
  });
}

function codeDeployTargets(
  functionNames: string[],
  flags: { application?: string; 'deployment-group'?: string; alias?: string },
  config: LshiftConfig,
  own: ReadonlyMap<string, { alias?: string }>,
): { application: string; group: string }[] {
  return functionNames.map((fn) => {
    const alias = flags.alias ?? own.get(fn)?.alias ?? config.alias ?? 'live';
    return resolveCodeDeployNames(
      fn,
      alias,
      {
        application: flags.application ?? config.application,
        group: flags['deployment-group'] ?? config['deployment-group'],
      },
      {
        application: flags.application === undefined ? 'the config file’s `application`' : '--application',
        group:
          flags['deployment-group'] === undefined
            ? 'the config file’s `deployment-group`'
            : '--deployment-group',
      },
    );
  });
}

/** The region of the ARNs and where it came from (REGION_INVALID names it). */
function regionWithSource(
  fromFlag: string | undefined,
  fromConfig: string | undefined,
): { value: string; source: string } | undefined {
  // A flag given empty (`--region "$REGION"` with REGION unset) is refused, as in every command;
  // only the environment's blanks count as unset (docs/exit-codes.md#region-and-profile).
  if (fromFlag !== undefined) return { value: fromFlag, source: '--region' };
  const candidates: [string | undefined, string][] = [
    [process.env['AWS_REGION']?.trim(), 'AWS_REGION'],
    [process.env['AWS_DEFAULT_REGION']?.trim(), 'AWS_DEFAULT_REGION'],
    [fromConfig, "the config file's region"],
  ];
  const found = candidates.find(([value]) => value);
  return found ? { value: found[0] as string, source: found[1] } : undefined;
}
