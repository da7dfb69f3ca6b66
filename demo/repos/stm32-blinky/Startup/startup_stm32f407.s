/*
 * startup_stm32f407.s - Cortex-M4 startup for STM32F407.
 *
 * Provides the vector table and Reset_Handler, which copies initialized
 * data from flash to RAM, zeroes .bss, calls SystemInit() and then main().
 * Unused handlers are weak aliases of Default_Handler so that application
 * code can override any of them by defining a function with the same name.
 * Only the first 16 device interrupts are listed; extend the table before
 * enabling any higher IRQ number.
 */
    .syntax unified
    .cpu cortex-m4
    .fpu softvfp
    .thumb

    .global g_pfnVectors
    .global Default_Handler

    .section .text.Reset_Handler, "ax", %progbits
    .weak Reset_Handler
    .type Reset_Handler, %function
Reset_Handler:
    ldr   r0, =_estack
    mov   sp, r0

    /* Copy .data initializers from flash to RAM */
    ldr   r0, =_sdata
    ldr   r1, =_edata
    ldr   r2, =_sidata
    b     2f
1:  ldr   r3, [r2], #4
    str   r3, [r0], #4
2:  cmp   r0, r1
    bcc   1b

    /* Zero .bss */
    ldr   r0, =_sbss
    ldr   r1, =_ebss
    movs  r2, #0
    b     4f
3:  str   r2, [r0], #4
4:  cmp   r0, r1
    bcc   3b

    bl    SystemInit
    bl    main
5:  b     5b                      /* main() must not return */
    .size Reset_Handler, . - Reset_Handler

    .section .text.Default_Handler, "ax", %progbits
    .type Default_Handler, %function
Default_Handler:
    bkpt  #0                      /* halt here when a debugger is attached */
    b     Default_Handler
    .size Default_Handler, . - Default_Handler

    .section .isr_vector, "a", %progbits
    .type g_pfnVectors, %object
g_pfnVectors:
    .word _estack
    .word Reset_Handler
    .word NMI_Handler
    .word HardFault_Handler
    .word MemManage_Handler
    .word BusFault_Handler
    .word UsageFault_Handler
    .word 0
    .word 0
    .word 0
    .word 0
    .word SVC_Handler
    .word DebugMon_Handler
    .word 0
    .word PendSV_Handler
    .word SysTick_Handler
    /* Device interrupts (IRQ0..IRQ15) */
    .word WWDG_IRQHandler
    .word PVD_IRQHandler
    .word TAMP_STAMP_IRQHandler
    .word RTC_WKUP_IRQHandler
    .word FLASH_IRQHandler
    .word RCC_IRQHandler
    .word EXTI0_IRQHandler
    .word EXTI1_IRQHandler
    .word EXTI2_IRQHandler
    .word EXTI3_IRQHandler
    .word EXTI4_IRQHandler
    .word DMA1_Stream0_IRQHandler
    .word DMA1_Stream1_IRQHandler
    .word DMA1_Stream2_IRQHandler
    .word DMA1_Stream3_IRQHandler
    .word DMA1_Stream4_IRQHandler
    .size g_pfnVectors, . - g_pfnVectors

    .macro weak_handler name
    .weak \name
    .thumb_set \name, Default_Handler
    .endm

    weak_handler NMI_Handler
    weak_handler HardFault_Handler
    weak_handler MemManage_Handler
    weak_handler BusFault_Handler
    weak_handler UsageFault_Handler
    weak_handler SVC_Handler
    weak_handler DebugMon_Handler
    weak_handler PendSV_Handler
    weak_handler SysTick_Handler
    weak_handler WWDG_IRQHandler
    weak_handler PVD_IRQHandler
    weak_handler TAMP_STAMP_IRQHandler
    weak_handler RTC_WKUP_IRQHandler
    weak_handler FLASH_IRQHandler
    weak_handler RCC_IRQHandler
    weak_handler EXTI0_IRQHandler
    weak_handler EXTI1_IRQHandler
    weak_handler EXTI2_IRQHandler
    weak_handler EXTI3_IRQHandler
    weak_handler EXTI4_IRQHandler
    weak_handler DMA1_Stream0_IRQHandler
    weak_handler DMA1_Stream1_IRQHandler
    weak_handler DMA1_Stream2_IRQHandler
    weak_handler DMA1_Stream3_IRQHandler
    weak_handler DMA1_Stream4_IRQHandler
