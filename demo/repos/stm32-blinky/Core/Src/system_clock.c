/*
 * system_clock.c - reset-time core setup and 168 MHz PLL configuration.
 *
 * HSE 8 MHz -> /M=8 -> 1 MHz -> xN=336 -> 336 MHz VCO
 *   SYSCLK = VCO / P(2) = 168 MHz, USB/SDIO clock = VCO / Q(7) = 48 MHz
 *   AHB = 168 MHz, APB1 = 42 MHz (/4), APB2 = 84 MHz (/2)
 */
#include "stm32f4xx.h"
#include "board.h"

#define PLL_M  8U
#define PLL_N  336U
#define PLL_P  2U
#define PLL_Q  7U

#define HSE_STARTUP_TIMEOUT  0x10000UL

uint32_t SystemCoreClock = 16000000UL;  /* HSI until the PLL is running */

/* Called from Reset_Handler before .data/.bss are touched by C code. */
void SystemInit(void)
{
    /* Grant full access to coprocessors CP10/CP11 (FPU). */
    SCB->CPACR |= (3UL << 20) | (3UL << 22);
}

int system_clock_init(void)
{
    uint32_t timeout = HSE_STARTUP_TIMEOUT;

    RCC->CR |= RCC_CR_HSEON;
    while ((RCC->CR & RCC_CR_HSERDY) == 0U) {
        if (--timeout == 0U) {
            return -1;  /* crystal did not start; stay on HSI */
        }
    }

    /* 5 wait states are required at 168 MHz / 3.3 V. */
    FLASH->ACR = FLASH_ACR_LATENCY_5WS | FLASH_ACR_PRFTEN |
                 FLASH_ACR_ICEN | FLASH_ACR_DCEN;

    RCC->CFGR = (RCC->CFGR & ~RCC_CFGR_SW_Msk) |
                RCC_CFGR_HPRE_DIV1 | RCC_CFGR_PPRE1_DIV4 | RCC_CFGR_PPRE2_DIV2;

    RCC->PLLCFGR = (PLL_M << RCC_PLLCFGR_PLLM_Pos) |
                   (PLL_N << RCC_PLLCFGR_PLLN_Pos) |
                   (((PLL_P / 2U) - 1U) << RCC_PLLCFGR_PLLP_Pos) |
                   RCC_PLLCFGR_PLLSRC_HSE |
                   (PLL_Q << RCC_PLLCFGR_PLLQ_Pos);

    RCC->CR |= RCC_CR_PLLON;
    while ((RCC->CR & RCC_CR_PLLRDY) == 0U) {
    }

    RCC->CFGR = (RCC->CFGR & ~RCC_CFGR_SW_Msk) | RCC_CFGR_SW_PLL;
    while ((RCC->CFGR & RCC_CFGR_SWS_Msk) != RCC_CFGR_SWS_PLL) {
    }

    SystemCoreClock = SYSCLK_HZ;
    return 0;
}
