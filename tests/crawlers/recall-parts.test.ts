import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dependencyRefs } from '../../crawlers/recall/dependency-refs.js';
import { mineTerms } from '../../crawlers/recall/mine-terms.js';
import { DEFAULT_NGRAM_PARAMS, deserializeModel, featurize, predict, serializeWeights, trainNgramModel } from '../../crawlers/recall/ngram-classifier.js';

test('dependency files name repositories: submodules, FuseSoC providers, west projects', () => {
  const gitmodules = '[submodule "a"]\n\tpath = a\n\turl = https://github.com/olofk/serv.git\n[submodule "b"]\n\turl = git@github.com:YosysHQ/picorv32\n[submodule "c"]\n\turl = https://gitlab.com/x/y.git\n';
  assert.deepEqual(dependencyRefs('.gitmodules', gitmodules).sort(), ['YosysHQ/picorv32', 'olofk/serv']);
  const core = 'CAPI=2:\nname: ::blinky:1.0\nprovider:\n  name: github\n  user: fusesoc\n  repo: blinky\n  version: v1.0\nfilesets:\n  rtl:\n    files: [blinky.v]\n';
  assert.deepEqual(dependencyRefs('cores/blinky.core', core), ['fusesoc/blinky']);
  const west = 'manifest:\n  remotes:\n    - name: upstream\n      url-base: https://github.com/zephyrproject-rtos\n  projects:\n    - name: hal_stm32\n      remote: upstream\n      revision: main\n    - name: cmsis\n      remote: upstream\n      repo-path: cmsis-core\n';
  assert.deepEqual(dependencyRefs('west.yml', west).sort(), ['zephyrproject-rtos/cmsis-core', 'zephyrproject-rtos/hal_stm32']);
  assert.deepEqual(dependencyRefs('src/main.c', 'see https://github.com/a/b'), [], 'only dependency files count');
  assert.deepEqual(dependencyRefs('Bender.yml', 'dependencies:\n  common_cells: { git: "https://github.com/pulp-platform/common_cells.git", version: 1.21.0 }\n'), ['pulp-platform/common_cells']);
  assert.deepEqual(dependencyRefs('CMakeLists.txt', 'FetchContent_Declare(cutlass GIT_REPOSITORY https://github.com/NVIDIA/cutlass.git GIT_TAG v3.4.0)\n'), ['NVIDIA/cutlass']);
});

test('mined terms: shared by accepted repositories, absent from rejected ones, not searched before', () => {
  const accepted = [['A wishbone UART for iCE40 boards'], ['Wishbone crossbar, iCE40 tested'], ['A tensor kernel']];
  const rejected = [['A todo app for boards and crossbar fans']];
  assert.deepEqual(mineTerms(accepted, rejected, 5), ['ice40', 'wishbone']);
  assert.deepEqual(mineTerms(accepted, rejected, 5, new Set(['wishbone'])), ['ice40']);
});

test('the hashed n-gram classifier separates kernels from web code and round-trips through bytes', () => {
  const p = { ...DEFAULT_NGRAM_PARAMS, buckets: 2 ** 14 };
  const pos = Array.from({ length: 12 }, (_, i) => `__global__ void k${i}(float *a) { __shared__ float t[${i + 32}]; a[threadIdx.x] = t[${i}]; }`);
  const neg = Array.from({ length: 12 }, (_, i) => `@app.route("/u${i}")\ndef view${i}(request):\n    return render(request, "page${i}.html")`);
  const model = trainNgramModel([...pos.map((t) => ({ features: featurize(t, p), label: 1 as const })), ...neg.map((t) => ({ features: featurize(t, p), label: 0 as const }))], p);
  const unseenKernel = featurize('__global__ void scale(float *x) { __shared__ float s[64]; x[threadIdx.x] *= 2; }', p);
  const unseenWeb = featurize('@app.route("/login")\ndef login(request):\n    return render(request, "login.html")', p);
  assert.ok(predict(model, unseenKernel) > 0.7);
  assert.ok(predict(model, unseenWeb) < 0.3);
  const back = deserializeModel({ ...p, bias: model.bias }, serializeWeights(model));
  assert.equal(predict(back, unseenKernel), predict(model, unseenKernel));
  assert.deepEqual(trainNgramModel([{ features: featurize(pos[0]!, p), label: 1 }], p).weights.length, p.buckets);
});
