# language: fr
Fonctionnalité: Les étapes de la déclaration s'ouvrent dans l'ordre, et chacune a sa propre révision
  « Vous devez suivre, dans l'ordre, les différentes étapes de déclaration afin de pouvoir passer
  à l'étape suivante » (guide de la déclaration annuelle) : une étape s'ouvre quand toutes les
  étapes obligatoires qui la précèdent sont validées. Les étapes 6 à 8 (l'outil d'évaluation des
  risques) sont facultatives : elles ne retiennent ni l'étape 9 ni le récapitulatif.
  « Vous pouvez quitter une étape et revenir plus tard à tout instant car les informations sont
  sauvegardées. » Plusieurs personnes de l'entreprise peuvent travailler en même temps sur la
  déclaration : sur des étapes différentes, chacune enregistre ses réponses ; sur la même étape,
  la seconde est prévenue que quelqu'un l'a modifiée entre-temps, plutôt que d'effacer sans le
  savoir ce que l'autre a saisi.

  Contexte:
    Soit le service a enregistré l'adhérent « 00021 », raison sociale « Boulangerie des Ducs », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et Claire DURAND, gérante, a pour adresse e-mail « claire.durand@boulangerie-des-ducs.fr »
    Et Claire est administratrice de « Boulangerie des Ducs »
    Et Claire a enregistré les salariés de « Boulangerie des Ducs » :
      | salarié       | sexe | né(e) le   | contrat  | embauché(e) le | poste              |
      | Lisa LERGY    | F    | 12/12/1995 | CDI      | 27/09/2022     | Boulangère         |
      | Martin MARTIN | M    | 01/01/1970 | CDI      | 19/07/2024     | Vendeur            |
      | Sam PICQ      | M    | 05/11/1998 | Apprenti | 27/10/2022     | Apprenti boulanger |
    Et le service a ouvert la campagne 2026 : 79 € HT par salarié, outil d'évaluation des risques à 150 € HT par an
    Et Paul MOREAU, responsable de production, a pour adresse e-mail « paul.moreau@boulangerie-des-ducs.fr »
    Et Claire a donné accès au portail à Paul, avec le rôle Déclaration

  Scénario: L'étape 1 n'est validée qu'avec le SIRET, la réponse sur le CSE et les adresses confirmées
    Quand Claire valide l'étape 1
    Alors la demande est refusée avec le code STEP_INCOMPLETE
    Et le message affiché contient « L'étape 1 (informations administratives) n'est pas complète : renseignez le SIRET; indiquez si l'entreprise a un CSE; confirmez l'adresse du lieu de travail sur la carte; renseignez l'adresse de facturation; renseignez l'adresse de convocation. »

  Scénario: Les risques (étape 5) restent fermés tant que les informations de prévention (étape 4) sont incomplètes
    Soit Claire a validé les étapes 1 à 3 de la déclaration 2026
    Et Claire répond au thème « Activité de l'entreprise » :
      | question                                                               | réponse                              |
      | Décrivez l'activité principale de l'entreprise                         | Boulangerie-pâtisserie artisanale    |
      | Nombre de sites ou d'établissements                                    | 1                                    |
      | Vos salariés interviennent-ils chez des clients ou sur des chantiers ? | non                                  |
      | L'activité est-elle saisonnière ?                                      | non                                  |
      | Faites-vous appel à des intérimaires ?                                 | oui                                  |
      | Horaires pratiqués                                                     | Journée, Travail de nuit, Week-end   |
    Quand Claire valide l'étape 4
    Alors la demande est refusée avec le code STEP_INCOMPLETE
    Et le message affiché contient « L'étape 4 (informations de prévention) n'est pas complète : thème « Accidents du travail et maladies professionnelles » : 3 question(s) sans réponse; thème « Situations particulières » : 5 question(s) sans réponse; thème « Locaux et équipements » : 5 question(s) sans réponse; thème « Sécurité et prévention » : 4 question(s) sans réponse; thème « Évaluation des risques » : 3 question(s) sans réponse. »
    Quand Claire ajoute le risque « Manutention de charges »
    Alors la demande est refusée avec le code STEP_NOT_OPEN
    Et le message affiché contient « Cette étape n'est pas encore ouverte : terminez d'abord l'étape 4 (informations de prévention). »
    Et les étapes de la déclaration 2026, vues par Claire, sont :
      | étape | intitulé                            | ouverte | validée |
      | 1     | informations administratives        | oui     | oui     |
      | 2     | utilisateurs et contacts            | oui     | oui     |
      | 3     | effectif                            | oui     | oui     |
      | 4     | informations de prévention          | oui     | non     |
      | 5     | risques dans votre entreprise       | non     | non     |
      | 6 à 8 | outil d'évaluation des risques      | non     | non     |
      | 9     | situations de travail et agents CMR | non     | non     |
      | 10    | récapitulatif                       | non     | non     |
    Quand Claire répond à toutes les questions des six thèmes de prévention
    Et Claire valide l'étape 4
    Et Claire ajoute le risque « Manutention de charges »
    Alors la modification de l'étape est enregistrée

  Scénario: L'étape 5 demande au moins un risque
    Soit Claire a validé les étapes 1 à 4 de la déclaration 2026
    Quand Claire valide l'étape 5
    Alors la demande est refusée avec le code STEP_INCOMPLETE
    Et le message affiché contient « L'étape 5 (risques dans votre entreprise) n'est pas complète : ajoutez au moins un risque présent dans l'entreprise. »

  Scénario: Les étapes 6 à 8, sautées, ne retiennent ni l'étape 9 ni le récapitulatif
    Soit Claire a validé les étapes 1 à 5 de la déclaration 2026
    Alors les étapes de la déclaration 2026, vues par Claire, sont :
      | étape | intitulé                            | ouverte | validée |
      | 1     | informations administratives        | oui     | oui     |
      | 2     | utilisateurs et contacts            | oui     | oui     |
      | 3     | effectif                            | oui     | oui     |
      | 4     | informations de prévention          | oui     | oui     |
      | 5     | risques dans votre entreprise       | oui     | oui     |
      | 6 à 8 | outil d'évaluation des risques      | oui     | non     |
      | 9     | situations de travail et agents CMR | oui     | non     |
      | 10    | récapitulatif                       | non     | non     |
    Quand Claire valide l'étape 9
    Alors l'étape 9 est validée et l'étape 10 est ouverte
    Quand Claire valide définitivement la déclaration 2026
    Alors la modification de l'étape est enregistrée
    Et la liste des déclarations de « Boulangerie des Ducs », vue par Claire, est :
      | année | version | statut    |
      | 2026  | 1       | confirmée |

  Scénario: Une réponse modifiée à l'étape 4 la rouvre, et referme les étapes qui la suivent
    Soit Claire a validé les étapes 1 à 5 de la déclaration 2026
    Quand Claire répond au thème « Sécurité et prévention » :
      | question                                          | réponse |
      | Nombre de sauveteurs secouristes du travail (SST) | 2       |
    Alors les étapes de la déclaration 2026, vues par Claire, sont :
      | étape | intitulé                            | ouverte | validée |
      | 1     | informations administratives        | oui     | oui     |
      | 2     | utilisateurs et contacts            | oui     | oui     |
      | 3     | effectif                            | oui     | oui     |
      | 4     | informations de prévention          | oui     | non     |
      | 5     | risques dans votre entreprise       | non     | oui     |
      | 6 à 8 | outil d'évaluation des risques      | non     | non     |
      | 9     | situations de travail et agents CMR | non     | non     |
      | 10    | récapitulatif                       | non     | non     |

  Scénario: Deux personnes sur deux étapes différentes enregistrent toutes les deux
    Soit Claire a validé les étapes 1 à 5 et 9 de la déclaration 2026
    Et Paul se connecte au portail avec un code reçu par e-mail
    Et Claire ouvre la déclaration 2026
    Et Paul ouvre la déclaration 2026
    Quand au même moment, Claire relie le n° de bon de commande « BC-2026-017 » (étape 10) et Paul active l'outil d'évaluation des risques (étapes 6 à 8)
    Alors les deux modifications sont enregistrées
    Et la déclaration 2026 a pour bon de commande « BC-2026-017 » et l'outil d'évaluation activé

  Scénario: Deux personnes sur la même étape : la seconde est prévenue, rien n'est écrasé
    Soit Claire a validé les étapes 1 à 3 de la déclaration 2026
    Et Paul se connecte au portail avec un code reçu par e-mail
    Et Claire ouvre la déclaration 2026
    Et Paul ouvre la déclaration 2026
    Quand Claire répond au thème « Sécurité et prévention » :
      | question                                          | réponse |
      | Nombre de sauveteurs secouristes du travail (SST) | 1       |
    Alors la modification de l'étape est enregistrée
    Quand Paul répond au thème « Sécurité et prévention » :
      | question                                          | réponse |
      | Nombre de sauveteurs secouristes du travail (SST) | 3       |
    Alors la demande est refusée avec le code CONFLICT
    Et le message affiché contient « L'étape 4 (informations de prévention) a été modifiée par quelqu'un d'autre entre-temps : rechargez-la pour voir ses dernières réponses. »
    Et Paul retrouve les réponses au thème « Sécurité et prévention » :
      | question                                          | réponse |
      | Nombre de sauveteurs secouristes du travail (SST) | 1       |
    Quand Paul ouvre la déclaration 2026
    Et Paul répond au thème « Sécurité et prévention » :
      | question                                          | réponse |
      | Nombre de sauveteurs secouristes du travail (SST) | 3       |
    Alors la modification de l'étape est enregistrée

  Scénario: Claire quitte la déclaration ; Paul la reprend quelques jours plus tard là où elle en était
    Soit Claire a validé les étapes 1 à 3 de la déclaration 2026
    Et Claire répond au thème « Activité de l'entreprise » :
      | question                                                               | réponse                              |
      | Décrivez l'activité principale de l'entreprise                         | Boulangerie-pâtisserie artisanale    |
      | Nombre de sites ou d'établissements                                    | 1                                    |
      | Vos salariés interviennent-ils chez des clients ou sur des chantiers ? | non                                  |
      | L'activité est-elle saisonnière ?                                      | non                                  |
      | Faites-vous appel à des intérimaires ?                                 | oui                                  |
      | Horaires pratiqués                                                     | Journée, Travail de nuit, Week-end   |
    Et Claire répond au thème « Situations particulières » :
      | question                                                                                   | réponse       |
      | Des salariés travaillent-ils seuls, hors de vue ou de portée de voix d'autres personnes ?  | oui           |
      | Vos salariés sont-ils en contact avec le public ?                                          | En permanence |
    Et Claire se déconnecte
    Quand 4 jours passent
    Et Paul se connecte au portail avec un code reçu par e-mail
    Alors les étapes de la déclaration 2026, vues par Paul, sont :
      | étape | intitulé                            | ouverte | validée |
      | 1     | informations administratives        | oui     | oui     |
      | 2     | utilisateurs et contacts            | oui     | oui     |
      | 3     | effectif                            | oui     | oui     |
      | 4     | informations de prévention          | oui     | non     |
      | 5     | risques dans votre entreprise       | non     | non     |
      | 6 à 8 | outil d'évaluation des risques      | non     | non     |
      | 9     | situations de travail et agents CMR | non     | non     |
      | 10    | récapitulatif                       | non     | non     |
    Et Paul retrouve les réponses au thème « Activité de l'entreprise » :
      | question                                                               | réponse                              |
      | Décrivez l'activité principale de l'entreprise                         | Boulangerie-pâtisserie artisanale    |
      | Nombre de sites ou d'établissements                                    | 1                                    |
      | Vos salariés interviennent-ils chez des clients ou sur des chantiers ? | non                                  |
      | L'activité est-elle saisonnière ?                                      | non                                  |
      | Faites-vous appel à des intérimaires ?                                 | oui                                  |
      | Horaires pratiqués                                                     | Journée, Travail de nuit, Week-end   |
    Et Paul retrouve les réponses au thème « Situations particulières » :
      | question                                                                                   | réponse       |
      | Des salariés travaillent-ils seuls, hors de vue ou de portée de voix d'autres personnes ?  | oui           |
      | Vos salariés sont-ils en contact avec le public ?                                          | En permanence |
    Quand Paul répond à toutes les questions des six thèmes de prévention
    Et Paul valide l'étape 4
    Alors l'étape 4 est validée et l'étape 5 est ouverte
