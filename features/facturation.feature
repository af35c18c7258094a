# language: fr
Fonctionnalité: La facturation, du récapitulatif de la déclaration à l'échéancier de l'adhérent
  La déclaration confirmée se termine sur son montant TTC : la facture de cotisation suit, émise
  par le service sans que personne ait à la demander, et l'adhérent en est prévenu par e-mail.
  L'adhérent qui a choisi le prélèvement automatique et dont le prélèvement tombe au plus tard le
  15 février a un abattement de 7 % sur la cotisation par salarié (pas sur l'outil d'évaluation) ;
  si le prélèvement est rejeté, l'abattement est perdu et refacturé par une facture d'ajustement.
  Le service émet des avoirs, qui citent la facture qu'ils corrigent ; une déclaration rouverte puis
  confirmée de nouveau est facturée pour la différence : une facture d'ajustement si elle coûte
  plus, un avoir si elle coûte moins. L'adhérent voit ses factures par année, réglées ou non, et son
  échéancier : pièces, débits, crédits et solde (espace adhérent, « Vos factures et votre
  échéancier »).
  Les factures sont numérotées sans trou, une série par type de pièce : F… pour les factures,
  AV… pour les avoirs.
  L'adhérent des scénarios était enregistré avant que le service ne facture par le portail : il
  n'a pas de facture d'adhésion. Sauf dans les scénarios joués à toute heure, nous sommes le
  mardi 20/01/2026, à 10 h à Paris.

  Contexte:
    Soit le service a enregistré l'adhérent « 00021 », raison sociale « Boulangerie des Ducs », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et Claire DURAND, gérante, a pour adresse e-mail « claire.durand@boulangerie-des-ducs.fr »
    Et Claire est administratrice de « Boulangerie des Ducs »
    Et le service a renseigné ses coordonnées de vendeur
    Et le service a fixé les conditions de facturation 2026 : droit d'adhésion 13 € HT, paiement à 30 jours, abattement de 7 % pour un prélèvement au plus tard le 15/02/2026
    Et Claire a enregistré les salariés de « Boulangerie des Ducs » :
      | salarié         | sexe | né(e) le   | contrat  | embauché(e) le | poste               |
      | Lisa LERGY      | F    | 12/12/1995 | CDI      | 27/09/2022     | Boulangère          |
      | Martin MARTIN   | M    | 01/01/1970 | CDI      | 19/07/2024     | Vendeur             |
      | Sam PICQ        | M    | 05/11/1998 | Apprenti | 27/10/2022     | Apprenti boulanger  |
      | Colette STEROLL | F    | 02/04/2002 | Intérim  | 01/12/2025     | Vendeuse            |
      | Hugo BERNARD    | M    | 14/06/2005 | Stage    | 01/12/2025     | Stagiaire pâtissier |
    Et le service a ouvert la campagne 2026 : 79 € HT par salarié, outil d'évaluation des risques à 150 € HT par an

  @toute_heure
  Scénario: Le récapitulatif de la déclaration confirmée devient la facture de cotisation
    Soit Claire a validé les étapes 1 à 9 de la déclaration 2026
    Et Claire accepte les conditions de vente de l'outil d'évaluation des risques
    Et Claire relie le n° de bon de commande « BC-2026-017 »
    Quand Claire valide définitivement la déclaration 2026
    Alors la modification de l'étape est enregistrée
    Et le récapitulatif de la déclaration 2026 montre :
      | Effectif facturé               | 3           |
      | Effectif facturé en date du    | 31/12/2025  |
      | Cotisation par salarié         | 79,00 € HT  |
      | Outil d'évaluation des risques | 150,00 € HT |
      | Montant HT                     | 387,00 €    |
      | Montant TTC                    | 464,40 €    |
    Et la facture de cotisation 2026, vue par Claire, montre :
      | Type de facture             | Cotisation    |
      | Date                        | aujourd'hui   |
      | Échéance                    | dans 30 jours |
      | Période                     | Année 2026    |
      | Montant HT                  | 387,00 €      |
      | TVA                         | 77,40 €       |
      | Montant TTC                 | 464,40 €      |
      | Bon de commande             | BC-2026-017   |
      | Abattement pour prélèvement | aucun         |
      | Statut                      | non réglée    |
    Et Claire est prévenue par e-mail que la facture de cotisation 2026 est disponible :
      """
      464,40 € TTC
      est disponible sur le portail adhérent.
      """

  Scénario: Le prélèvement avant le 15 février donne l'abattement de 7 %, que le prélèvement rejeté fait perdre
    Soit Claire a signé le mandat de prélèvement SEPA « RUM-00021-1 » le 15/01/2026, IBAN « FR14 2004 1010 0505 0001 3M02 606 »
    Et Claire a confirmé la déclaration 2026, outil d'évaluation compris
    Alors la facture F0000001, vue par Claire, montre :
      | Type de facture             | Cotisation |
      | Abattement pour prélèvement | 16,59 € HT |
      | Prélèvement prévu le        | 03/02/2026 |
      | Échéance                    | 03/02/2026 |
      | Montant HT                  | 370,41 €   |
      | TVA                         | 74,08 €    |
      | Montant TTC                 | 444,49 €   |
      | Statut                      | non réglée |
    Quand le 03/02/2026 arrive ; chacun se reconnecte au portail
    Et le service présente à la banque les prélèvements SEPA du 03/02/2026
    Alors le fichier remis à la banque présente 1 prélèvement(s), pour 444,49 € au total
    Et la facture F0000001, vue par Claire, montre :
      | Reste dû | 0,00 € |
      | Statut   | réglée |
    Quand le 10/02/2026 arrive ; chacun se reconnecte au portail
    Et le service enregistre le rejet du prélèvement de la facture F0000001 le 10/02/2026, motif AM04
    Alors Claire reçoit l'e-mail « Prélèvement rejeté : facture n° F0000001 de Boulangerie des Ducs » :
      """
      Le prélèvement de la facture n° F0000001 a été rejeté par la banque. Il reste dû 444,49 €
      """
    Et les factures de « Boulangerie des Ducs », vues par Claire, sont :
      | N°       | Date       | Type de facture      | Montant TTC | Période    | Échéance   | Reste dû | Statut     |
      | F0000002 | 10/02/2026 | Facture d'ajustement | 19,91 €     | Année 2026 | 24/02/2026 | 19,91 €  | non réglée |
      | F0000001 | 20/01/2026 | Cotisation           | 444,49 €    | Année 2026 | 03/02/2026 | 444,49 € | en retard  |
    Et la facture F0000002, vue par Claire, montre :
      | Montant HT | 16,59 €                                                                                       |
      | Motif      | Abattement de la facture F0000001 perdu (prélèvement rejeté ou paiement après la date limite) |

  Scénario: Le service émet un avoir, qui cite la facture qu'il corrige
    Soit Claire a confirmé la déclaration 2026, outil d'évaluation compris
    Quand le service émet un avoir sur la facture F0000001 pour le motif « Outil d'évaluation offert la première année » : 1 × 150,00 € HT « Outil d'évaluation des risques 2026 »
    Alors les factures de « Boulangerie des Ducs », vues par Claire, sont :
      | N°        | Date       | Type de facture | Montant TTC | Période    | Reste dû |
      | F0000001  | 20/01/2026 | Cotisation      | 464,40 €    | Année 2026 | 284,40 € |
      | AV0000001 | 20/01/2026 | Avoir           | -180,00 €   | Année 2026 | 0,00 €   |
    Et l'avoir AV0000001, vu par Claire, montre :
      | Corrige la facture | F0000001                                    |
      | Montant HT         | 150,00 €                                    |
      | TVA                | 30,00 €                                     |
      | Motif              | Outil d'évaluation offert la première année |

  Scénario: Rouverte, la déclaration qui compte un salarié de plus est facturée de la différence
    Soit Claire a confirmé la déclaration 2026, outil d'évaluation compris
    Et le service a rouvert la déclaration 2026 de « Boulangerie des Ducs » pour le motif « Un salarié a été oublié »
    Et Claire a enregistré les salariés de « Boulangerie des Ducs » :
      | salarié     | sexe | né(e) le   | contrat | embauché(e) le | poste   |
      | Paul MOREAU | M    | 02/04/1988 | CDI     | 01/10/2025     | Vendeur |
    Et Claire ouvre la déclaration 2026
    Quand Claire valide définitivement la déclaration 2026
    Alors la modification de l'étape est enregistrée
    Et le récapitulatif de la déclaration 2026 montre :
      | Effectif facturé | 4        |
      | Montant TTC      | 559,20 € |
    Et les factures de « Boulangerie des Ducs », vues par Claire, sont :
      | N°       | Type de facture      | Montant TTC | Période    |
      | F0000002 | Facture d'ajustement | 94,80 €     | Année 2026 |
      | F0000001 | Cotisation           | 464,40 €    | Année 2026 |
    Et la facture F0000002, vue par Claire, montre :
      | Montant HT | 79,00 €                                                     |
      | Motif      | Régularisation de la cotisation 2026 (déclaration modifiée) |

  Scénario: Rouverte, la déclaration qui coûte moins donne un avoir de la différence
    Soit Claire a confirmé la déclaration 2026, outil d'évaluation compris
    Et le service a rouvert la déclaration 2026 de « Boulangerie des Ducs » pour le motif « L'outil d'évaluation a été activé par erreur »
    Et Claire n'active pas l'outil d'évaluation des risques
    Quand Claire valide définitivement la déclaration 2026
    Alors la modification de l'étape est enregistrée
    Et les factures de « Boulangerie des Ducs », vues par Claire, sont :
      | N°        | Type de facture | Montant TTC | Période    | Reste dû |
      | F0000001  | Cotisation      | 464,40 €    | Année 2026 | 284,40 € |
      | AV0000001 | Avoir           | -180,00 €   | Année 2026 | 0,00 €   |
    Et l'avoir AV0000001, vu par Claire, montre :
      | Corrige la facture | F0000001                                                    |
      | Montant HT         | 150,00 €                                                    |
      | Motif              | Régularisation de la cotisation 2026 (déclaration modifiée) |

  Scénario: Rouverte avec un salarié de moins, la cotisation payée par prélèvement est créditée au prix remisé
    Soit Claire a signé le mandat de prélèvement SEPA « RUM-00021-1 » le 15/01/2026, IBAN « FR14 2004 1010 0505 0001 3M02 606 »
    Et Claire a confirmé la déclaration 2026, outil d'évaluation compris
    Et le service a rouvert la déclaration 2026 de « Boulangerie des Ducs » pour le motif « Un salarié était sorti avant le 31/12/2025 »
    Et Claire enregistre la sortie de Martin MARTIN, dernier jour le 30/11/2025, pour démission
    Et Claire ouvre la déclaration 2026
    Quand Claire valide définitivement la déclaration 2026
    Alors la modification de l'étape est enregistrée
    Et le récapitulatif de la déclaration 2026 montre :
      | Effectif facturé | 2 |
    Et l'avoir AV0000001, vu par Claire, montre :
      | Corrige la facture | F0000001 |
      | Montant HT         | 73,47 €  |
      | Montant TTC        | -88,16 € |
    Et les factures de « Boulangerie des Ducs », vues par Claire, sont :
      | N°        | Type de facture | Montant TTC | Reste dû |
      | F0000001  | Cotisation      | 444,49 €    | 356,33 € |
      | AV0000001 | Avoir           | -88,16 €    | 0,00 €   |

  Scénario: L'échéancier de l'adhérent, reconstruit depuis le premier événement, est le même
    Soit Claire a confirmé la déclaration 2026, outil d'évaluation compris
    Et le service a rouvert la déclaration 2026 de « Boulangerie des Ducs » pour le motif « L'outil d'évaluation a été activé par erreur »
    Et Claire n'active pas l'outil d'évaluation des risques
    Et Claire valide définitivement la déclaration 2026
    Et le 10/02/2026 arrive ; chacun se reconnecte au portail
    Et le service enregistre un paiement de 100,00 € par virement le 10/02/2026 sur la facture F0000001
    Et le service note l'échéancier et les factures de « Boulangerie des Ducs »
    Quand le service reconstruit tous les modèles de lecture depuis le premier événement
    Alors le portail lit désormais chaque modèle de lecture dans sa nouvelle génération
    Et l'échéancier et les factures de « Boulangerie des Ducs » n'ont pas changé
    Et l'échéancier de « Boulangerie des Ducs », vu par Claire, est :
      | N°        | Date d'émission | Date d'exigibilité | Type de pièce  | Débit    | Crédit   | Période    |
      | F0000001  | 20/01/2026      | 19/02/2026         | Cotisation     | 464,40 € |          | Année 2026 |
      | AV0000001 | 20/01/2026      |                    | Avoir          |          | 180,00 € | Année 2026 |
      | F0000001  | 10/02/2026      |                    | Paiement       |          | 100,00 € | Année 2026 |
      |           |                 |                    |                | 464,40 € | 280,00 € |            |
      |           |                 |                    | Solde débiteur | 184,40 € |          |            |
