/**
 * A finished lshift deployment (promoted, rolled back) whose alias is split again: someone else's
 * AWS CodeDeploy deployment on the function's group (a hotfix `aws deploy create-deployment`, a SAM
 * deploy) drives that split. `status` and `check` called it STALLED ("recorded promoted, but the
 * alias still routes … nobody drives it") and advised `lshift alias`, which CodeDeploy undid seconds
 * later; every scheduled check paged during a legitimate deployment (found by a hostile pass). The
 * group is the one `lshift codedeploy init` made (the config file's names, else the defaults).
 * Only a deployment whose AppSpec moves this alias between the versions it is split over drives
 * it: any deployment running on the group read as the driver of a split made by hand, which no
 * deployment would ever clear (found by the next hostile pass). Best effort: no such group, no
 * permission, no answer — nothing is known to drive it.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeployments.html
 */
import type { CodeDeployPort } from '../ports/codedeploy.js';
import { describeDeployment, type GroupRef, lookUpGroup } from './codedeploy-group.js';
import { pickSplitDriver, type SplitAlias } from './codedeploy-split-rule.js';

export type { SplitAlias } from './codedeploy-split-rule.js';

/**
 * The running deployment on `group` that moves `split` (codedeploy-split-rule.ts), described
 * (`d-X (InProgress, "hotfix")`), if any; never `ownId`, the deployment whose record asks.
 */
export async function findCodeDeployDriver(
  codedeploy: Pick<CodeDeployPort, 'listActiveDeployments' | 'getDeployment'> | undefined,
  group: GroupRef | undefined,
  split: SplitAlias,
  ownId?: string,
): Promise<string | undefined> {
  if (!codedeploy || !group) return undefined;
  try {
    const { others } = await lookUpGroup(codedeploy, group, undefined);
    const driver = pickSplitDriver(others, split, ownId);
    return driver ? describeDeployment(driver) : undefined;
  } catch {
    return undefined;
  }
}
