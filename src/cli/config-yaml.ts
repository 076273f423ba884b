/**
 * The config file's YAML, read in time linear in its size (src/sandbox/yaml-linear.ts says why).
 * Loaded on demand: `--help`, `--version` and `plan` without a config file never pay for yaml.
 */
export async function parseConfigYaml(body: string): Promise<unknown> {
  const { parseYamlLinear } = await import('../sandbox/yaml-linear.js');
  return parseYamlLinear(body);
}
