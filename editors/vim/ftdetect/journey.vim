" Journey files: journeys (*.journey) and standard-library declarations (*.jstd).
autocmd BufRead,BufNewFile *.journey,*.jstd setfiletype journey
