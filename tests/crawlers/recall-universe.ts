import type { FakeRepo } from './github-fake-server.js';

/**
 * A labelled fixture universe for recall: industrial repositories reachable by
 * rule queries, only by broad queries (classifier), or only by expansion (owner,
 * fork parent, .gitmodules, FuseSoC .core, west.yml, mined term); and general
 * repositories, including a rule false positive (topic fpga, mostly Python) and
 * expansion decoys. Files are generated with variation so the classifier cannot
 * memorise one string.
 */
export interface LabelledRepo extends FakeRepo {
  industrial: boolean;
}

const v = (name: string, i: number, extra = ''): string =>
  `// ${name} ${i}\nmodule ${name} #(parameter W = ${8 + i}) (input clk, input rst_n, input [W-1:0] d, output reg [W-1:0] q);\n`
  + `  always @(posedge clk or negedge rst_n)\n    if (!rst_n) q <= {W{1'b0}};\n    else q <= d ^ ${i};\n${extra}endmodule\n`;
const wb = (name: string, i: number): string =>
  v(name, i, `  // wishbone slave\n  wire wb_cyc_i, wb_stb_i, wb_we_i;\n  reg wb_ack_o;\n  always @(posedge clk) wb_ack_o <= wb_cyc_i & wb_stb_i & ~wb_ack_o;\n`);
const sv = (name: string, i: number): string =>
  `module ${name} (input logic clk, input logic [${i + 3}:0] a, output logic [${i + 3}:0] y);\n  always_ff @(posedge clk) y <= a + ${i};\nendmodule\n`;
const vhd = (name: string, i: number): string =>
  `library ieee;\nuse ieee.std_logic_1164.all;\nentity ${name} is\n  port (clk : in std_logic; x : in std_logic_vector(${i + 7} downto 0));\nend entity;\n`
  + `architecture rtl of ${name} is\nbegin\n  process (clk) begin\n    if rising_edge(clk) then null; end if;\n  end process;\nend architecture;\n`;
const cu = (name: string, i: number): string =>
  `#include <cuda_runtime.h>\n__global__ void ${name}(const float *a, float *b, int n) {\n  __shared__ float tile[${32 * (i + 1)}];\n`
  + `  int t = blockIdx.x * blockDim.x + threadIdx.x;\n  if (t < n) { tile[threadIdx.x] = a[t]; __syncthreads(); b[t] = tile[threadIdx.x] * ${i + 2}.0f; }\n}\n`;
const triton = (name: string, i: number): string =>
  `import triton\nimport triton.language as tl\n\n@triton.jit\ndef ${name}(x_ptr, y_ptr, n, BLOCK: tl.constexpr):\n    pid = tl.program_id(0)\n`
  + `    offs = pid * BLOCK + tl.arange(0, BLOCK)\n    x = tl.load(x_ptr + offs, mask=offs < n)\n    tl.store(y_ptr + offs, x * ${i + 1}, mask=offs < n)\n`;
const stm32 = (name: string, i: number): string =>
  `#include "stm32f4xx.h"\nvoid ${name}(void) {\n  RCC->AHB1ENR |= RCC_AHB1ENR_GPIO${'ABCD'[i % 4]}EN;\n  GPIO${'ABCD'[i % 4]}->MODER |= 1u << ${2 * i};\n  NVIC_EnableIRQ(TIM${i + 2}_IRQn);\n}\n`;
const nrf = (name: string, i: number): string =>
  `#include <nrf.h>\nvoid ${name}(void) {\n  NVIC_SetPriority(UARTE${i}_IRQn, ${i});\n  NVIC_EnableIRQ(UARTE${i}_IRQn);\n  SysTick_Config(64000);\n}\n`;
const cad = (name: string, i: number): string =>
  `import cadquery as cq\n\ndef ${name}(w=${10 + i}, h=${5 + i}):\n    return cq.Workplane("XY").box(w, h, ${i + 1}).faces(">Z").hole(${i + 1.5})\n`;
const webPy = (name: string, i: number): string =>
  `from flask import Flask, request, jsonify\napp = Flask(__name__)\n\n@app.route("/${name}/<int:item_id>")\ndef ${name}(item_id):\n`
  + `    items = request.args.get("page", ${i})\n    return jsonify({"id": item_id, "page": items})\n`;
const dataPy = (name: string, i: number): string =>
  `import pandas as pd\nimport requests\n\ndef ${name}(url, limit=${i + 10}):\n    rows = requests.get(url, timeout=30).json()\n    df = pd.DataFrame(rows)\n    return df.head(limit).to_dict("records")\n`;
const cTool = (name: string, i: number): string =>
  `#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\nint ${name}(const char *path) {\n  FILE *f = fopen(path, "r");\n  char buf[${256 * (i + 1)}];\n`
  + `  if (!f) { perror(path); return 1; }\n  while (fgets(buf, sizeof buf, f)) printf("%s", buf);\n  fclose(f);\n  return 0;\n}\n`;
const cppApp = (name: string, i: number): string =>
  `#include <vector>\n#include <string>\n#include <iostream>\nclass ${name} {\n public:\n  void run() { for (int k = 0; k < ${i + 3}; ++k) items_.push_back(std::to_string(k)); }\n`
  + ` private:\n  std::vector<std::string> items_;\n};\n`;

const many = (n: number, gen: (name: string, i: number) => string, prefix: string, ext: string, dir = ''): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${dir}${prefix}_${i}.${ext}`, gen(`${prefix}_${i}`, i)]));

export const UNIVERSE: LabelledRepo[] = [
  // Rule recall finds these (language or topic).
  { industrial: true, full_name: 'fpga-lab/uart-core', language: 'Verilog', topics: ['fpga', 'uart'], stars: 50, description: 'UART core',
    files: { ...many(2, v, 'uart', 'v', 'rtl/'), 'rtl/wb_uart.v': wb('wb_uart', 1), '.gitmodules': '[submodule "bus"]\n\tpath = bus\n\turl = https://github.com/upstream-hdl/wishbone-bus.git\n', 'README.md': '# UART\nA UART with a wishbone slave interface, tested on an iCE40 board.\n' } },
  { industrial: true, full_name: 'rtl-works/riscv-mini', language: 'SystemVerilog', topics: ['risc-v'], stars: 80,
    files: { ...many(3, sv, 'rv', 'sv', 'rtl/'), 'riscv-mini.core': 'CAPI=2:\nname: rtl-works:cpu:riscv-mini\nprovider:\n  name: github\n  user: fusesoc-cores\n  repo: i2c-core\n', 'README.md': 'Tiny pipelined RISC-V with a wishbone bus for iCE40 parts.\n' } },
  { industrial: true, full_name: 'vhdl-guild/fir-filter', language: 'VHDL', stars: 12, files: { ...many(3, vhd, 'fir', 'vhd', 'src/'), 'README.md': 'Pipelined FIR filter, synthesizes on iCE40 and ECP5.\n' } },
  { industrial: true, full_name: 'gpu-team/cuda-gemm', language: 'Cuda', topics: ['cuda'], stars: 300, files: { ...many(3, cu, 'gemm', 'cu', 'src/'), 'README.md': 'Tiled GEMM with shared-memory tiles and tensor cores.\n' } },
  { industrial: true, full_name: 'tri-kernels/fused-attn', language: 'Python', topics: ['triton'], stars: 40, files: { ...many(3, triton, 'attn', 'py', 'kernels/'), 'README.md': 'Fused attention with tensor cores.\n' } },
  { industrial: true, full_name: 'mcu-hub/stm32-blinky', language: 'C', topics: ['stm32'], stars: 25,
    files: { ...many(2, stm32, 'gpio', 'c', 'src/'), 'src/ringbuf.c': 'typedef struct { unsigned head, tail; unsigned char buf[64]; } ring_t;\nint ring_put(ring_t *r, unsigned char c) { r->buf[r->head++ & 63] = c; return 0; }\n',
      'west.yml': 'manifest:\n  remotes:\n    - name: zb\n      url-base: https://github.com/zephyr-boards\n  projects:\n    - name: nrf-drivers\n      remote: zb\n      revision: main\n', 'README.md': 'Blinky for Cortex-M4 boards with a SysTick scheduler.\n' } },
  { industrial: true, full_name: 'cad-parts/gearbox', language: 'Python', topics: ['cadquery'], stars: 15, files: { ...many(3, cad, 'gear', 'py'), 'README.md': 'Parametric gearbox housing.\n' } },
  { industrial: true, full_name: 'soc-lab/axi-crossbar', language: 'Verilog', topics: ['soc'], stars: 60, files: { ...many(2, v, 'xbar', 'v'), 'bridge.v': wb('wb_bridge', 4), 'README.md': 'AXI crossbar with a wishbone bridge, iCE40 friendly.\n' } },
  // Only broad queries (language:c / c++ / python) reach these: the classifier must recognise them.
  { industrial: true, full_name: 'quiet-dev/motor-fw', language: 'C', stars: 30, files: { ...many(2, stm32, 'motor', 'c'), 'README.md': 'Motor control.\n' } },
  { industrial: true, full_name: 'kern-lab/reduce-kernels', language: 'C++', stars: 70, files: { ...many(3, cu, 'reduce', 'cu'), 'README.md': 'Parallel reductions.\n' } },
  { industrial: true, full_name: 'py-cad/bracket-gen', language: 'Python', stars: 11, files: { ...many(2, cad, 'bracket', 'py'), 'README.md': 'Brackets.\n' } },
  // Only expansion reaches these.
  { industrial: true, full_name: 'fpga-lab/spi-master', stars: 3, files: { ...many(2, v, 'spi', 'v'), 'README.md': 'SPI master.\n' } },
  { industrial: true, full_name: 'upstream-hdl/wishbone-bus', stars: 2, files: { 'ic.v': wb('wb_ic', 2), 'arb.v': wb('wb_arb', 3) } },
  { industrial: true, full_name: 'fusesoc-cores/i2c-core', stars: 4, files: many(2, v, 'i2c', 'v') },
  { industrial: true, full_name: 'zephyr-boards/nrf-drivers', stars: 6, files: many(3, nrf, 'uarte', 'c') },
  { industrial: true, full_name: 'gpu-team/flash-fork', fork: true, parent: 'orig-author/flash-attn-impl', stars: 1, files: many(2, cu, 'flash', 'cu') },
  { industrial: true, full_name: 'orig-author/flash-attn-impl', stars: 9, files: many(2, cu, 'fa', 'cu') },
  { industrial: true, full_name: 'wb-periph/gpio-wishbone', stars: 5, description: 'GPIO peripheral, wishbone slave', files: { 'gpio.v': wb('wb_gpio', 5) } },
  // General code.
  { industrial: false, full_name: 'webdev/todo-app', language: 'Python', topics: ['flask'], stars: 90, files: { ...many(3, webPy, 'todo', 'py'), 'README.md': 'A todo list web app.\n' } },
  { industrial: false, full_name: 'cli-tools/json-fmt', language: 'C', stars: 45, files: { ...many(3, cTool, 'fmt', 'c'), 'README.md': 'Pretty-print JSON from the terminal.\n' } },
  { industrial: false, full_name: 'games/snake', language: 'C++', stars: 33, files: { ...many(3, cppApp, 'Snake', 'cpp'), 'README.md': 'Snake in the terminal.\n' } },
  { industrial: false, full_name: 'data/pandas-utils', language: 'Python', stars: 20, files: { ...many(3, dataPy, 'load', 'py'), 'README.md': 'Helpers for dataframes.\n' } },
  { industrial: false, full_name: 'scripts/backup', language: 'C', stars: 14, files: { ...many(2, cTool, 'copy', 'c'), 'README.md': 'Incremental backups.\n' } },
  { industrial: false, full_name: 'text/markdown-cli', language: 'C++', stars: 18, files: { ...many(2, cppApp, 'Render', 'cpp'), 'README.md': 'Render markdown.\n' } },
  { industrial: false, full_name: 'fpga-news/scraper', language: 'Python', topics: ['fpga'], stars: 13, description: 'FPGA board price scraper',
    files: { ...many(4, dataPy, 'scrape', 'py'), ...many(1, v, 'blink', 'v', 'examples/'), 'README.md': 'Scrapes FPGA board prices into a dataframe.\n' } },
  { industrial: false, full_name: 'hdl-fans/awesome-fpga', topics: ['fpga'], stars: 400, files: { 'README.md': '# Awesome FPGA\n- links to cores and tools\n' } },
  { industrial: false, full_name: 'fpga-lab/website', language: 'JavaScript', stars: 2, files: { 'index.js': 'document.title = "lab";\n', 'README.md': 'The lab website.\n' } },
  { industrial: false, full_name: 'mcu-hub/office-bot', stars: 1, files: { ...many(2, webPy, 'bot', 'py'), 'README.md': 'Chat bot for the office.\n' } },
];

/** The test and bench configuration: the default queries narrowed to the universe's, no star floor. */
export const UNIVERSE_RECALL_CONFIG = {
  rule: {
    queries: ['language:verilog', 'language:systemverilog', 'language:vhdl', 'topic:fpga', 'language:cuda', 'topic:triton', 'topic:stm32', 'topic:cadquery', 'topic:soc']
      .map((q) => ({ domain: 'any', q })),
    codeQueries: ['"@triton.jit" language:python'],
    qualifiers: '',
    perQueryLimit: 100,
  },
  classifier: { broadQueries: ['language:c', 'language:cpp', 'language:python'], perQueryLimit: 100 },
  expansion: { terms: 2, perTermLimit: 20 },
};
