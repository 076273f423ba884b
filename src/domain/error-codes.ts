/**
 * Every error code lshift reports, with the exit code(s) it comes with and what it means: the
 * one source of the `ErrorCode` type and of the table in docs/exit-codes.md
 * (`npm run docs:errors` writes it; test/unit/error-codes.test.ts fails when they drift).
 */
export interface ErrorCodeInfo {
  /** Exit codes this error ends a command with (the first is the usual one). */
  exits: readonly (1 | 2 | 4 | 5 | 130)[];
  /** What happened, for the docs table. */
  meaning: string;
}

const usage = (meaning: string): ErrorCodeInfo => ({ exits: [2], meaning });
const failed = (meaning: string): ErrorCodeInfo => ({ exits: [1], meaning });
const conflict = (meaning: string): ErrorCodeInfo => ({ exits: [5], meaning });

export const ERROR_CODES = {
  // The command line, config file or a value is wrong (exit 2).
  USAGE: usage('a command-line argument or flag is wrong (oclif parsing)'),
  INVALID_FLAG: usage('a flag value is not one of the accepted ones'),
  FUNCTION_INVALID: usage(
    'a function argument or `functions:` entry is not a function name, ARN or partial ARN, or names a version or alias (`orders:live`)',
  ),
  STAGGER_NOT_RESUMABLE: usage(
    '`deploy --resume` of several functions of a `--stagger` release: resuming them together would move them at once; roll it back or resume each alone',
  ),
  FUNCTION_REGION_MISMATCH: usage(
    'a function or `lambda:` hook ARN names another region than the one lshift calls (--region, AWS_REGION, the profile)',
  ),
  CODEDEPLOY_NOT_RESUMABLE: usage(
    '`deploy --resume` of a deployment AWS CodeDeploy runs: it carries on without lshift; follow it with `lshift wait <deployment-id>`',
  ),
  FUNCTION_NAMED_TWICE: usage(
    'a release names one function twice (in any two spellings: name, ARN, partial ARN)',
  ),
  ACCOUNT_INVALID: usage('`--account` of `lshift iam-policy` is not a 12-digit AWS account ID'),
  ALIAS_INVALID: usage(
    'the alias (--alias, the config file’s) is not an alias name: 1–128 letters, digits, `-` or `_`, not all digits (in an IAM policy it would act as a wildcard)',
  ),
  ALARM_NAME_INVALID: usage(
    'an alarm name (--alarm, the config file’s `alarms`) is empty, blank, over CloudWatch’s 255 characters, has a control character, or has a placeholder other than `{function}` and `{alias}` (`{nope}`) or a lone `{` or `}` that is part of none (`{function}-{`, `demo-}`; write `{{` and `}}` for a literal brace)',
  ),
  REGION_INVALID: usage(
    'the region (--region, AWS_REGION, AWS_DEFAULT_REGION, the config file or the profile) is not a region name',
  ),
  DESCRIPTION_TOO_LONG: usage(
    '`publish --description` is over Lambda’s 256 characters for a version description',
  ),
  DURATION_TOO_LONG: usage(
    'a duration (flag or config file: a step hold, --bake, --settle, a hook timeout, --window, --wait…) is over its limit (docs/configuration.md#duration-limits)',
  ),
  CONFLICTING_FLAGS: usage('two flags (or a flag and the config file) contradict each other'),
  INVALID_DURATION: usage('a duration such as `5m` or `1h30m` cannot be read'),
  INVALID_PERCENT: usage('a percentage such as `10%` cannot be read or is out of range'),
  STRATEGY_INVALID: usage('the strategy is not one of the accepted forms'),
  PLAN_INVALID: usage('a plan handed to the engine is not a valid sequence of weights'),
  INTERVAL_INVALID: usage('the poll interval (--interval) is not between 1 s and 1 minute'),
  HOOK_INVALID: usage(
    'a hook spec cannot be read (an HTTP hook on port 0 or on a port fetch blocks among them), its payload file is missing, or the script a `cmd:` hook names by path is missing or not executable',
  ),
  ANALYSIS_FLAG_INVALID: usage('a canary analysis flag has a bad value'),
  ANALYSIS_FLAG_CONFLICT: usage('canary analysis flags contradict each other'),
  CONFIG_INVALID: usage(
    'the config file is not valid YAML/JSON, breaks its schema, or holds no settings (empty, blank, only comments, `null`: write `{}` for none on purpose)',
  ),
  CONFIG_NOT_FOUND: usage('the file given to --config does not exist, or --config is empty'),
  ENGINE_CANNOT_RUN: usage(
    'the CodeDeploy engine cannot run this strategy, hook or operator verb (step lists, sub-minute holds, bake, non-Lambda hooks, promote/pause/resume)',
  ),
  CODEDEPLOY_CONFIG_MISMATCH: usage(
    'a CodeDeploy deployment config of lshift’s name (`lshift.Linear20PercentEvery10Minutes`) exists with another routing than its name says (made by hand): the deployment would run a schedule nobody asked for; delete it, and lshift creates it as named',
  ),
  CODEDEPLOY_TOO_MANY_ALARMS: usage('a CodeDeploy deployment group takes at most 10 alarms'),
  CODEDEPLOY_NAME_INVALID: usage(
    'a CodeDeploy application or deployment group name (--application, --deployment-group, the config file’s, or the default made from the function name) is empty, blank (spaces only), over 100 characters or holds a control character',
  ),
  CODEDEPLOY_ROLE_MISSING: usage(
    '`lshift codedeploy init` must create a deployment group and was given no --role',
  ),
  VERSION_INVALID: usage('a version is not a published version number'),
  ZIP_NOT_READABLE: usage('the --zip file cannot be read'),
  ZIP_NOT_A_ZIP: usage('the --zip file is not a zip archive (it does not start with a zip signature)'),
  ZIP_DAMAGED: usage(
    'the --zip file is not a whole zip archive (no end of central directory record, or a central directory past its end or not where the end record says): a truncated or damaged file',
  ),
  ZIP_EMPTY: usage('the --zip file is a zip archive with no file in it'),
  ZIP_TOO_LARGE: usage('the --zip file is over Lambda’s 50 MB upload limit'),
  ZIP_UNZIPPED_TOO_LARGE: usage(
    'the --zip file unzips to more than Lambda’s 250 MB limit (the sizes its central directory declares)',
  ),
  ALIAS_TOO_LONG: usage('the alias name is too long to name the deployment record tag'),
  CREDENTIALS_EXPIRE_TOO_SOON: usage(
    'credentials the SDK cannot renew expire before the deployment’s longest run ends',
  ),
  RECORD_TOO_LARGE: usage(
    'the deployment record would not fit in a 256-character tag value, with room kept for an operator command’s verb (`lshift plan`: not even the smallest deployment of the plan could record it)',
  ),
  CHECK_NO_ALARMS: usage('`lshift check` was given no alarm to watch'),
  CHECK_WINDOW_INVALID: usage(
    'the `lshift check` window given to the engine (its API, not the CLI) is not a positive duration; the CLI reads `--window` as a duration first (`INVALID_DURATION`, `DURATION_TOO_LONG`)',
  ),
  STALE_AFTER_INVALID: usage(
    '`check --stale-after` is under 2 minutes: a running deployment (--interval up to 1 minute) would look abandoned',
  ),
  ENDPOINT_ENV_INVALID: usage(
    'an AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE> variable lshift would use is not an http(s) URL, or names port 0',
  ),
  PROXY_INVALID: usage(
    'HTTPS_PROXY or HTTP_PROXY (or the lower-case one) names no http(s) proxy lshift can use (a SOCKS proxy, a malformed URL, port 0)',
  ),
  SANDBOX_URL_INVALID: usage(
    'LSHIFT_SANDBOX is set but empty, is not an http(s) URL, carries a user name or password (the sandbox takes none) or a path, or names port 0 or a port fetch blocks',
  ),
  SANDBOX_SCENARIO_INVALID: usage(
    'the sandbox scenario file (`lshift sandbox --scenario`) or a scenario given to the sandbox’s API is not valid; an unknown `--sandbox-scenario` name is `INVALID_FLAG`',
  ),
  SANDBOX_SCENARIO_UNREADABLE: usage(
    'the sandbox scenario file (--scenario) cannot be read: missing, permissions, not a regular file (a directory, FIFO, device) or over 10 MiB',
  ),
  SANDBOX_STATE_UNREADABLE: usage(
    'the sandbox state file cannot be read: permissions, not a regular file (a directory, FIFO, device) or over 10 MiB',
  ),
  SANDBOX_STATE_INVALID: usage('the sandbox state file is corrupt or from another version'),
  SANDBOX_STATE_UNWRITABLE: usage(
    'the sandbox state file (or its folder, or its lock file) cannot be written, its folder does not exist (the sandbox creates the file, not the folder), or the world has outgrown 10 MiB',
  ),
  AWS_FILE_INVALID: usage(
    'AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE or AWS_WEB_IDENTITY_TOKEN_FILE (or ~/.aws/config, ~/.aws/credentials), or a file the chosen profile makes the SDK read (its web_identity_token_file, its SSO token cache in ~/.aws/sso/cache), names something that is not a regular file: a named pipe (the SDK would wait on it forever), a directory, a device (/dev/null is fine)',
  ),
  PROFILE_NOT_FOUND: usage('the AWS profile (--profile, AWS_PROFILE) is not defined in the AWS config files'),
  PROFILE_UNREADABLE: usage(
    'the AWS profile (--profile, AWS_PROFILE) is in the AWS config files under a name the AWS SDK does not read (a space, or a character other than letters, digits and _ - @ + . % : /)',
  ),
  // Preflight refused: the function or alias is not ready for this deployment (exit 2).
  ALIAS_NOT_FOUND: {
    exits: [2, 1],
    meaning: 'the alias does not exist (exit 1 when found out by a later AWS call, not a check)',
  },
  ALIAS_ON_LATEST: usage('the alias points at $LATEST, which cannot take weighted routing'),
  ALIAS_TARGET_LATEST: usage('an alias cannot be pointed at $LATEST by lshift'),
  VERSION_NOT_FOUND: {
    exits: [2, 1],
    meaning: 'the version does not exist (exit 1 when found out by a later AWS call, not a check)',
  },
  VERSION_NOT_ACTIVE: usage('the target version is Pending, Inactive or Failed'),
  TARGET_NOT_PUBLISHED: usage('the target is not a published version'),
  PACKAGE_TYPE_MISMATCH: usage('the code flag does not match the function’s package type (zip/image)'),
  WARM_NOT_POSSIBLE: usage(
    '`--warm` has nothing to warm ahead: the alias holds the provisioned concurrency, or nobody has any',
  ),
  IMAGE_UNCHANGED: usage('the image resolves to the digest the alias already runs: nothing changed'),
  ROLE_MISMATCH: usage(
    'the stable and target versions have different execution roles (with code to publish: `$LATEST`’s role, which an upload does not change, checked before the upload)',
  ),
  DLQ_MISMATCH: usage(
    'the stable and target versions have different dead-letter queues (with code to publish: `$LATEST`’s, checked before the upload)',
  ),
  ALARM_NOT_FOUND: usage('an alarm to watch does not exist'),
  ALARM_ALREADY_FIRING: usage(
    "an alarm to watch is already in ALARM at preflight, before any traffic moved (one that fires during the pre-traffic hooks stops the deploy before its first weight: exit 3, cause GATE_FAILED); right after a rollback the alarm may still weigh the rolled-back version's minutes: the hint says so and gives the `aws cloudwatch describe-alarms` line that shows when it is OK again",
  ),
  ALARM_HISTORY_DENIED: usage(
    'cloudwatch:DescribeAlarmHistory is denied: an alarm that fires and clears between two health polls could not be seen; grant it before any traffic moves',
  ),
  NOTHING_TO_ROLL_BACK: usage(
    'no version to roll back to is known: none recorded, or the alias was moved by hand to a version no deployment put there (an unfinished one: its stable version or `lshift alias` close it); pass --to',
  ),
  NOTHING_TO_RESUME: usage('no unfinished deployment is recorded on the alias'),
  RESUME_GUARDS_DIFFER: usage(
    '`deploy --resume` with other alarms, hooks, bake or analysis, or other absolute gates or analysis settings, than the first run recorded (`gd=`, `jd=`); pass the same flags or --config again, or `--guards-changed` for a deliberate change; nothing written',
  ),
  NO_RUNNING_DEPLOYMENT: usage(
    "`lshift promote|pause|resume|abort`: no deployment is running on the alias (none, ended, or rolling back; a deploy still uploading, publishing or checking has no record yet and is not reached: send the verb again once it prints its id), or (`promote|pause|resume`) a single deployment is past its last hold (running its post-traffic hooks), or `abort` of a CodeDeploy deployment handed over with `--detach` (no lshift process reads its commands, not even `lshift wait`: `lshift rollback` stops it); or (`pause|resume|promote`) another operator's abort went over it before its answer was seen (a `promote` whose deployment then ends promoted is exit 0: the abort came too late)",
  ),
  COMMAND_REFUSED: usage(
    '`lshift pause` of a paused deployment, or `lshift resume` of one that is not paused',
  ),
  RELEASE_MEMBER: usage(
    '`lshift promote` or `lshift pause` of one function of a running release, without `--release` (the release forms act on every function)',
  ),
  NOT_IN_RELEASE: usage(
    '`lshift abort|pause|resume|promote --release`: a function named is not part of the release (or does not exist); nothing was sent. `deploy fnA fnB … --resume` of a release: a function named does not exist (mistyped, or deleted since the release started), or has no record while the release has others left unnamed; nothing was taken over. `rollback --release`: a function named has its record of the release at another alias than the one given; nothing was rolled back',
  ),
  RELEASE_NOT_FOUND: usage(
    'no function named carries the release id given to `rollback --release` or `abort|pause|resume|promote --release`',
  ),
  // AWS (or the sandbox) failed, or a permission is missing; nothing moved (exit 1).
  // Exit 1 on every path, preflight included: lshift cannot tell a mistyped name from a function in
  // another region or account (the same class as REGION_MISSING or CREDENTIALS_INVALID, exit 1).
  FUNCTION_NOT_FOUND: failed(
    'the function does not exist, or is in another region/account (exit 1 from every command, preflight included)',
  ),
  // Exit 1 for the reason FUNCTION_NOT_FOUND is: a typo and a hook in another region look alike.
  HOOK_FUNCTION_NOT_FOUND: failed(
    'a `lambda:` hook names a function, version or alias that does not exist (or is in another region/account); found before any upload, publish or alias write',
  ),
  ACCESS_DENIED: failed('an IAM permission is missing; the message names the action'),
  CREDENTIALS_MISSING: failed(
    'no AWS credentials were found, or the web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE, a profile’s web_identity_token_file) could not be read; the request was not sent',
  ),
  CREDENTIAL_PROCESS_FAILED: failed(
    'the profile’s credential_process exited non-zero, printed something that is not its JSON credentials (`{"Version": 1, "AccessKeyId": …, "SecretAccessKey": …}`) or more than 1 MiB; the request was not sent, and what it printed is not shown. Also when the profile was named and the AWS SDK went on past it to other credentials (the container or EC2 instance role): lshift refuses them',
  ),
  CREDENTIALS_INVALID: {
    exits: [1, 2],
    meaning:
      'the AWS credentials were rejected or have expired (AWS STS refusing a web identity token too), or hold a character no credential has (a carriage return, a line break: exit 1 when found at a call, unsent; exit 2 when AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or AWS_SESSION_TOKEN holds it, before any call)',
  },
  CREDENTIALS_TIMEOUT: failed(
    'resolving the AWS credentials did not finish within the call’s deadline (a profile’s credential_process that never exits, an SSO portal, STS or instance metadata endpoint that does not answer), or the SDK’s own attempts at STS timed out; the request was not sent',
  ),
  REGION_MISSING: failed('no AWS region was given or configured'),
  THROTTLED: failed('AWS kept throttling after the retries'),
  NETWORK_ERROR: failed(
    'the endpoint could not be reached (or the proxy refused to CONNECT to it), failed the TLS handshake (a certificate not trusted, no TLS), did not answer in time, cut the connection during a request (which may then have been carried out), or did not answer like AWS (an HTML page, a reply that is not HTTP)',
  ),
  INVALID_PARAMETER: failed('AWS rejected a parameter'),
  AWS_ERROR: failed('another AWS error'),
  PUBLISH_UNANSWERED: failed(
    'PublishVersion got no answer (a timeout, a connection cut mid-request, a 5xx, or a retry that met a 412) and the versions read after it did not show lshift’s own: a version may have been published all the same; no alias was touched, and running the command again reuses it',
  ),
  CODE_UPDATE_UNANSWERED: failed(
    'UpdateFunctionCode got no answer (a timeout, a connection cut mid-request, a 5xx, or a retry that met a 412 or 409) and `$LATEST` read after it did not show exactly lshift’s upload (or the code came from S3, whose hash lshift cannot know): the code may have been updated all the same; no version was published and no alias was touched',
  ),
  UPDATE_FAILED: failed('the code or configuration update failed'),
  UPDATE_TIMEOUT: failed('the function did not finish updating in time'),
  TOO_MANY_METRIC_QUERIES: failed('the analysis needs more than 500 metric queries in one call'),
  STATE_UNREADABLE: failed('the deployment record (tag) cannot be read'),
  STATE_UNWRITABLE: failed('the deployment record (tag) cannot be written'),
  RECORD_CORRUPT: failed(
    'the deployment record cannot be decoded: edited by hand or by another tool, or in a newer record format (a newer lshift wrote it); never acted on. Over a split alias `lshift check` and `lshift status` exit 4 for it, naming the `--to` rollback that needs no record; otherwise `check` exits 1 for it',
  ),
  RECORD_INVALID: failed(
    'the deployment record is inconsistent (ranges, versions, a time more than 5 minutes ahead); never acted on. Over a split alias `lshift check` and `lshift status` exit 4 for it, naming the `--to` rollback that needs no record; otherwise `check` exits 1 for it',
  ),
  ALARMS_UNREADABLE: failed('the alarms cannot be read'),
  ASYNC_DESTINATION_LOST: failed(
    'the new version would lose the stable version’s on-failure destination (with code to publish: checked before the upload; nothing uploaded or published)',
  ),
  SANDBOX_UNREACHABLE: failed(
    'the sandbox at LSHIFT_SANDBOX does not answer, or what answers there is not an lshift sandbox',
  ),
  SANDBOX_PORT_IN_USE: failed('the sandbox port is taken'),
  SANDBOX_STATE_IN_USE: failed(
    'another running sandbox uses the state file (--state): its lock file names a live process',
  ),
  SANDBOX_LISTEN_FAILED: failed('the sandbox could not listen'),
  SANDBOX_SEED_FAILED: failed('seeding the sandbox demo function failed'),
  CODEDEPLOY_GROUP_NOT_FOUND: failed(
    'the CodeDeploy application or deployment group does not exist (run `lshift codedeploy init`)',
  ),
  CODEDEPLOY_CONFIG_NOT_FOUND: failed('the CodeDeploy deployment config does not exist'),
  CODEDEPLOY_LIMIT_EXCEEDED: failed('a CodeDeploy limit was reached (alarms, deployments)'),
  CODEDEPLOY_DEPLOYMENT_NOT_FOUND: failed('the CodeDeploy deployment id does not exist'),
  CODEDEPLOY_TARGET_NOT_FOUND: failed('the CodeDeploy deployment has no such target (yet)'),
  CODEDEPLOY_DEPLOYMENT_FAILED: failed(
    'the CodeDeploy deployment failed or was stopped (CodeDeploy rolled it back)',
  ),
  // Exit 4 when a second signal ended lshift after traffic moved (the alias may be split).
  INTERRUPTED: {
    exits: [1, 4, 130],
    meaning:
      'Ctrl-C/SIGTERM abandoned an AWS call in flight (it may still have been applied; `publish` and `codedeploy init` say what may have changed), or stopped `lshift rollback` (its claim given back) or `lshift alias` before its alias write; exit 4 when a second signal ended lshift after traffic moved or with an alias write in flight; exit 130 when it stopped `status` or `history`, which only read',
  },
  OUTPUT_LOST: failed(
    'stdout could not be written (ENOSPC: a full disk or device; not a closed pipe) by plan, status, history, iam-policy, check or --help that would exit 0; other commands, and any exit other than 0 (a check or deploy that rolled back, a failure under --json), keep their code and warn',
  ),
  CLI_ERROR: failed('the command framework failed outside lshift’s own checks'),
  // Exit 4 when it came after traffic moved (the alias may be split).
  INTERNAL: {
    exits: [1, 4],
    meaning:
      'a bug in lshift; re-run with --debug and report it. Exit 4 when it stopped a deploy after traffic moved: the message shows the alias as lshift last set it and the fix',
  },
  COMMAND_NOT_ANSWERED: failed(
    'the running deployment did not answer an operator command in time, or ended first; the command was withdrawn',
  ),
  // Someone else holds or changed the alias; lshift overwrote nothing (exit 5).
  ALIAS_CHANGED: conflict('the alias changed underneath (HTTP 412 on RevisionId)'),
  ALIAS_CHANGED_ON_RETRY: conflict(
    'a retried UpdateAlias met a 412: the first attempt may have been applied (lshift re-reads the alias to tell)',
  ),
  FUNCTION_CHANGED: conflict('the function changed underneath (HTTP 412 on RevisionId)'),
  FUNCTION_CHANGED_ON_RETRY: conflict(
    'a retried function write (PublishVersion, UpdateFunctionCode) met a 412: the first attempt may have been applied (lshift reads the versions or `$LATEST` to tell, and says PUBLISH_UNANSWERED or CODE_UPDATE_UNANSWERED when it cannot)',
  ),
  FUNCTION_BUSY: conflict(
    'another update of the function is in progress (met by a retried UpdateFunctionCode, it may be lshift’s own first attempt: lshift reads `$LATEST` to tell)',
  ),
  ALIAS_EXISTS: conflict('the alias to create already exists'),
  SHIFT_IN_PROGRESS: conflict(
    'the alias is already split: by a running or unfinished shift, or left split by its last deployment (named, closed; no lshift deployment drives that split: the hint gives its rollback, with `--to` where a plain one would refuse)',
  ),
  DEPLOYMENT_IN_PROGRESS: conflict('a live deployment holds the alias'),
  CODEDEPLOY_DEPLOYMENT_RUNNING: conflict(
    'a CodeDeploy deployment is already running for the deployment group; or `lshift alias` over an unfinished CodeDeploy record whose deployment still runs, whose CodeDeploy rollback runs, that ended Stopped or Failed within the last 6 minutes with no rollback named yet (one may still be created: the hint says when to retry), or that could not be read',
  ),
  CODEDEPLOY_GROUP_BUSY: conflict(
    'another CodeDeploy deployment (named) runs on the deployment group: lshift started none of its own, or wrote nothing to the alias beside it',
  ),
  DEPLOYMENT_STALE: conflict(
    'a deployment whose runner died holds the alias (--resume, rollback or --supersede)',
  ),
  COMMAND_PENDING: conflict('another operator command is still waiting for the running deployment to answer'),
  DEPLOYMENT_PAUSED: conflict('a paused deployment holds the alias (--resume, rollback or --supersede)'),
  ROLLBACK_UNFINISHED: conflict('a failed rollback left the alias routing to its target'),
  SUPERSEDE_CONFLICT: conflict(
    'someone else moved the alias while lshift rolled the old deployment back, or was still rolling it back after 60 s',
  ),
  // Both: exit 5 when the alias is all on another version, 4 when it is split.
  ALIAS_MISMATCH: {
    exits: [5, 4],
    meaning: 'the alias does not match the recorded deployment (exit 4 when it is split)',
  },
  // A human must look (exit 4).
  ALIAS_AHEAD_OF_RECORD: {
    exits: [4],
    meaning:
      '`deploy --resume`: the alias is more than one plan step past its deployment record (a crash leaves it at most one ahead), so someone else moved it',
  },
  PROMOTED_BUT_SPLIT: {
    exits: [4],
    meaning:
      'the record says promoted but the alias is still split (a crash in a release’s last level, or a split made outside lshift since); finish: `lshift alias`, undo: `lshift rollback`',
  },
  CODEDEPLOY_DEPLOYMENT_FORGOTTEN: {
    exits: [4],
    meaning:
      '`lshift wait`: CodeDeploy no longer knows the deployment an unfinished record names (its group or application was deleted); fix: `lshift check` or `lshift rollback`',
  },
  CODEDEPLOY_WAIT_LOST: {
    exits: [4],
    meaning:
      '`lshift wait`: AWS CodeDeploy stopped answering (no read answered for 3 minutes, each poll trying again; or it refused) after the wait saw the deployment run: it may still move the alias with nobody watching; the error says where the alias is; fix: `lshift wait` again, or `lshift rollback`. Also when CodeDeploy had ended it and the alias could not be read after: nothing moves it, its traffic was not seen, the record is open; fix: `lshift wait` again',
  },
  // A human must look (exit 4).
  ALIAS_WRITE_UNANSWERED: {
    exits: [4],
    meaning:
      '`lshift alias`: its UpdateAlias got no answer (a timeout, a connection cut mid-request, a 5xx) and a read after it did not find the alias at the asked version: the write may have landed or may still land; the error says where the alias was last seen; see it with `lshift status`',
  },
  CODEDEPLOY_START_UNCONFIRMED: {
    exits: [4],
    meaning:
      'CreateDeployment got no answer and the deployment group’s deployments could not be read: CodeDeploy may be running one that moves the alias; lshift wrote nothing to it and names the `aws deploy list-deployments` command that tells',
  },
  CODEDEPLOY_START_UNANSWERED: {
    exits: [4],
    meaning:
      'CreateDeployment got no answer (a timeout, a reset) and two looks at the deployment group, 2 s apart, found no deployment of this run: lshift follows nothing and wrote nothing to the alias, but CodeDeploy may still take the request late and shift the alias with nobody following it; the result names `lshift status` and the `aws deploy list-deployments` command that tell. A Ctrl-C that abandoned it ends the same way (exit 4), its cause `INTERRUPTED` with `data.startUnanswered`',
  },
  SUPERSEDE_FAILED: {
    exits: [4, 1],
    meaning: 'rolling the old deployment back failed (exit 4 with the alias split)',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(text: string): text is ErrorCode {
  return Object.hasOwn(ERROR_CODES, text);
}
