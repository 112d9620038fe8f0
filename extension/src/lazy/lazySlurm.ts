/**
 * The runtimes' Slurm side, loaded (out/slurm.js) when a cluster is first used: connecting,
 * polling the queue, submitting (with the linter's checks), re-attaching jobs after a reload.
 * Activation only reads the clusters' settings. Classes from out/slurm.js are not this
 * bundle's: test its errors by name, and its classes through `slurmRuntime()`.
 */
import type { ClusterConfig, ClusterRegistry, RegistryOptions, SlurmCluster } from '../../../runtimes/src/slurm/index';
import { lazyBundle } from './lazyBundle';
import type * as SlurmBundle from './lazySlurmBundle';

/** The bundle's exports; the first call loads it. */
export const slurmRuntime = lazyBundle<typeof SlurmBundle>('slurm');

/**
 * A ClusterRegistry whose runtime is created on first use: clusters defined before then are
 * only remembered (what activation does with the settings), and handed over when it is.
 */
export class LazyClusterRegistry implements Pick<ClusterRegistry, 'define' | 'add' | 'get' | 'names' | 'disposeAsync' | 'dispose'> {
  private registry: ClusterRegistry | undefined;
  private readonly defined = new Map<string, ClusterConfig>();

  constructor(private readonly options: RegistryOptions = {}) {}

  define(config: ClusterConfig): void {
    if (this.registry) this.registry.define(config);
    else this.defined.set(config.name, config);
  }

  add(cluster: SlurmCluster): void { this.loaded().add(cluster); }

  get(name: string): SlurmCluster { return this.loaded().get(name); }

  get names(): readonly string[] { return this.registry ? this.registry.names : [...this.defined.keys()]; }

  async disposeAsync(): Promise<void> { await this.registry?.disposeAsync(); }

  dispose(): void { this.registry?.dispose(); }

  private loaded(): ClusterRegistry {
    if (!this.registry) {
      this.registry = new (slurmRuntime().ClusterRegistry)(this.options);
      for (const config of this.defined.values()) this.registry.define(config);
      this.defined.clear();
    }
    return this.registry;
  }
}
