# top.sdc - timing constraints for the ALU/UART test top.
# 100 MHz core clock; I/O budgets assume registered pads on the board side.

set CLK_PERIOD 10.0

create_clock -name clk -period $CLK_PERIOD [get_ports clk]
set_clock_uncertainty 0.25 [get_clocks clk]
set_clock_transition 0.10 [get_clocks clk]

# Asynchronous active-low reset: not timed, synchronized inside the design
set_false_path -from [get_ports rst_n]

# Inputs arrive 40% into the cycle, outputs must be valid 30% before the edge
set_input_delay  -clock clk [expr {0.4 * $CLK_PERIOD}] [remove_from_collection [all_inputs] [get_ports {clk rst_n}]]
set_output_delay -clock clk [expr {0.3 * $CLK_PERIOD}] [all_outputs]

# UART line is slow and asynchronous to the receiver
set_false_path -to [get_ports tx]

set_load 0.05 [all_outputs]
set_max_fanout 16 [current_design]
