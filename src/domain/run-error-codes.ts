/**
 * Error codes of a command that called AWS: a failed call, an interruption, a conflict over the
 * alias, or a state a human must look at (exit 1, 4, 5, 130). Part of ERROR_CODES (error-codes.ts).
 */
import { conflict, type ErrorCodeInfo, failed } from './error-code-info.js';

export const RUN_ERROR_CODES = {
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
    'a CodeDeploy deployment is already running for the deployment group; or `lshift alias` over an unfinished CodeDeploy record whose deployment still runs, whose CodeDeploy rollback runs, that ended Stopped or Failed within the last 6 minutes with no rollback named yet (one may still be created: the hint says when to retry), or that could not be read; or over a closed one whose deployment CodeDeploy is rolling back',
  ),
  CODEDEPLOY_GROUP_BUSY: conflict(
    'another CodeDeploy deployment (named) runs on the deployment group: lshift started none of its own, or wrote nothing to the alias beside it',
  ),
  // Both: exit 5, but 4 when `lshift deploy` or `lshift promote | pause | resume | abort` is
  // refused over a split alias nobody drives (stale-over-split.ts).
  DEPLOYMENT_STALE: {
    exits: [5, 4],
    meaning:
      'a deployment whose runner died holds the alias (--resume, rollback or --supersede); exit 4 when its alias is split, which nobody drives',
  },
  COMMAND_PENDING: conflict('another operator command is still waiting for the running deployment to answer'),
  // Both: exit 4 when its alias is split and nobody drives it (stale-over-split.ts).
  DEPLOYMENT_PAUSED: {
    exits: [5, 4],
    meaning:
      'a paused deployment holds the alias (--resume, rollback or --supersede); exit 4 when its runner left it paused over a split alias, which nobody drives (one handed to CodeDeploy stays 5)',
  },
  ROLLBACK_UNFINISHED: {
    exits: [5, 4],
    meaning:
      "a failed rollback left the alias routing to its target; exit 4 when the alias is split, which nobody drives, or all on that target (not CodeDeploy's), whose rollback nobody drives",
  },
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
