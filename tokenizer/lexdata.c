/* The built-in lexicon, compiled by gk_lexgen when gongkai is built and
 * embedded here so that the program needs no data files at run time. */
#ifndef GK_LEXICON_BIN
#error "GK_LEXICON_BIN must name the compiled lexicon file"
#endif

__asm__(".section .rodata\n"
        ".balign 16\n"
        ".globl gk_tok__lexicon_data\n"
        ".type gk_tok__lexicon_data, @object\n"
        "gk_tok__lexicon_data:\n"
        ".incbin \"" GK_LEXICON_BIN "\"\n"
        ".globl gk_tok__lexicon_end\n"
        ".type gk_tok__lexicon_end, @object\n"
        "gk_tok__lexicon_end:\n"
        ".byte 0\n"
        ".previous\n");
