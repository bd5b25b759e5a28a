;;; init.el --- maren's emacs  -*- lexical-binding: t -*-

(setq inhibit-startup-screen t
      make-backup-files nil)

(vertico-mode 1)
(setq completion-styles '(orderless basic))

;; pgtk on the laptops, plain X on gannet
(when (eq window-system 'pgtk)
  (set-face-attribute 'default nil :family "Iosevka" :height 120))

(global-set-key (kbd "C-x g") #'magit-status)
