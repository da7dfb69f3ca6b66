/*
 * stm32f4xx.h - minimal register map for the STM32F407 used by this project.
 *
 * Hand-written subset covering only the peripherals the firmware touches
 * (RCC, FLASH, GPIO, SysTick, SCB). Offsets follow the reference manual
 * (RM0090); reserved words are kept so every field lands at its documented
 * offset.
 */
#ifndef STM32F4XX_H
#define STM32F4XX_H

#include <stdint.h>

#define __IO volatile
#define __I  volatile const

/* ---- Memory map -------------------------------------------------------- */
#define PERIPH_BASE      0x40000000UL
#define AHB1PERIPH_BASE  (PERIPH_BASE + 0x00020000UL)
#define GPIOA_BASE       (AHB1PERIPH_BASE + 0x0000UL)
#define GPIOD_BASE       (AHB1PERIPH_BASE + 0x0C00UL)
#define RCC_BASE         (AHB1PERIPH_BASE + 0x3800UL)
#define FLASH_R_BASE     (AHB1PERIPH_BASE + 0x3C00UL)
#define SCS_BASE         0xE000E000UL
#define SYSTICK_BASE     (SCS_BASE + 0x0010UL)
#define SCB_BASE         (SCS_BASE + 0x0D00UL)

/* ---- Peripheral layouts ------------------------------------------------- */
typedef struct {
    __IO uint32_t MODER;    /* 0x00 */
    __IO uint32_t OTYPER;   /* 0x04 */
    __IO uint32_t OSPEEDR;  /* 0x08 */
    __IO uint32_t PUPDR;    /* 0x0C */
    __I  uint32_t IDR;      /* 0x10 */
    __IO uint32_t ODR;      /* 0x14 */
    __IO uint32_t BSRR;     /* 0x18 */
    __IO uint32_t LCKR;     /* 0x1C */
    __IO uint32_t AFR[2];   /* 0x20 */
} GPIO_TypeDef;

typedef struct {
    __IO uint32_t CR;           /* 0x00 */
    __IO uint32_t PLLCFGR;      /* 0x04 */
    __IO uint32_t CFGR;         /* 0x08 */
    __IO uint32_t CIR;          /* 0x0C */
    __IO uint32_t AHB1RSTR;     /* 0x10 */
    __IO uint32_t AHB2RSTR;     /* 0x14 */
    __IO uint32_t AHB3RSTR;     /* 0x18 */
    uint32_t      RESERVED0;    /* 0x1C */
    __IO uint32_t APB1RSTR;     /* 0x20 */
    __IO uint32_t APB2RSTR;     /* 0x24 */
    uint32_t      RESERVED1[2]; /* 0x28 */
    __IO uint32_t AHB1ENR;      /* 0x30 */
    __IO uint32_t AHB2ENR;      /* 0x34 */
    __IO uint32_t AHB3ENR;      /* 0x38 */
    uint32_t      RESERVED2;    /* 0x3C */
    __IO uint32_t APB1ENR;      /* 0x40 */
    __IO uint32_t APB2ENR;      /* 0x44 */
} RCC_TypeDef;

typedef struct {
    __IO uint32_t ACR;      /* 0x00 */
    __IO uint32_t KEYR;     /* 0x04 */
    __IO uint32_t OPTKEYR;  /* 0x08 */
    __IO uint32_t SR;       /* 0x0C */
    __IO uint32_t CR;       /* 0x10 */
    __IO uint32_t OPTCR;    /* 0x14 */
} FLASH_TypeDef;

typedef struct {
    __IO uint32_t CTRL;     /* 0x00 */
    __IO uint32_t LOAD;     /* 0x04 */
    __IO uint32_t VAL;      /* 0x08 */
    __I  uint32_t CALIB;    /* 0x0C */
} SysTick_TypeDef;

typedef struct {
    __I  uint32_t CPUID;        /* 0x00 */
    __IO uint32_t ICSR;         /* 0x04 */
    __IO uint32_t VTOR;         /* 0x08 */
    __IO uint32_t AIRCR;        /* 0x0C */
    __IO uint32_t SCR;          /* 0x10 */
    __IO uint32_t CCR;          /* 0x14 */
    __IO uint8_t  SHP[12];      /* 0x18 */
    __IO uint32_t SHCSR;        /* 0x24 */
    uint32_t      RESERVED0[24];/* 0x28 .. 0x87: fault status / feature regs */
    __IO uint32_t CPACR;        /* 0x88 */
} SCB_TypeDef;

#define GPIOA    ((GPIO_TypeDef *)GPIOA_BASE)
#define GPIOD    ((GPIO_TypeDef *)GPIOD_BASE)
#define RCC      ((RCC_TypeDef *)RCC_BASE)
#define FLASH    ((FLASH_TypeDef *)FLASH_R_BASE)
#define SysTick  ((SysTick_TypeDef *)SYSTICK_BASE)
#define SCB      ((SCB_TypeDef *)SCB_BASE)

/* ---- Bit definitions ------------------------------------------------------ */
#define RCC_CR_HSEON            (1UL << 16)
#define RCC_CR_HSERDY           (1UL << 17)
#define RCC_CR_PLLON            (1UL << 24)
#define RCC_CR_PLLRDY           (1UL << 25)

#define RCC_PLLCFGR_PLLM_Pos    0U
#define RCC_PLLCFGR_PLLN_Pos    6U
#define RCC_PLLCFGR_PLLP_Pos    16U
#define RCC_PLLCFGR_PLLSRC_HSE  (1UL << 22)
#define RCC_PLLCFGR_PLLQ_Pos    24U

#define RCC_CFGR_SW_Msk         (3UL << 0)
#define RCC_CFGR_SW_PLL         (2UL << 0)
#define RCC_CFGR_SWS_Msk        (3UL << 2)
#define RCC_CFGR_SWS_PLL        (2UL << 2)
#define RCC_CFGR_HPRE_DIV1      (0UL << 4)
#define RCC_CFGR_PPRE1_DIV4     (5UL << 10)
#define RCC_CFGR_PPRE2_DIV2     (4UL << 13)

#define RCC_AHB1ENR_GPIOAEN     (1UL << 0)
#define RCC_AHB1ENR_GPIODEN     (1UL << 3)

#define FLASH_ACR_LATENCY_5WS   (5UL << 0)
#define FLASH_ACR_PRFTEN        (1UL << 8)
#define FLASH_ACR_ICEN          (1UL << 9)
#define FLASH_ACR_DCEN          (1UL << 10)

#define SysTick_CTRL_ENABLE     (1UL << 0)
#define SysTick_CTRL_TICKINT    (1UL << 1)
#define SysTick_CTRL_CLKSOURCE  (1UL << 2)
#define SysTick_LOAD_RELOAD_Msk 0x00FFFFFFUL

#define GPIO_MODER_OUTPUT       1UL
#define GPIO_OSPEEDR_MEDIUM     1UL

static inline void __enable_irq(void)  { __asm volatile ("cpsie i" ::: "memory"); }
static inline void __disable_irq(void) { __asm volatile ("cpsid i" ::: "memory"); }
static inline void __WFI(void)         { __asm volatile ("wfi"); }

#endif /* STM32F4XX_H */
